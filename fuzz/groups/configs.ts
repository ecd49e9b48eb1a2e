/**
 * Configuration files: a shipped fixture with one key given a value of any type, a required key
 * removed, an unknown key (names with line breaks and quotes), a root that is not an object,
 * text cut or spliced into invalid JSON, a file beyond the size limit, and paths that are not
 * regular files. Each is given to `run --config FILE`; a configuration that is valid after all
 * runs gemm on fsim.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureConfigNames } from '../../runtime/config/fixtures.js';
import { repoPath } from '../../runtime/repo.js';
import type { FuzzCase, FuzzGroup } from '../fuzz-case.js';
import type { Rng } from '../rng.js';
import { caseDir, specialFile } from './files.js';

const KEYS = ['LOG_INP_WIDTH', 'LOG_WGT_WIDTH', 'LOG_ACC_WIDTH', 'LOG_BATCH', 'LOG_BLOCK', 'LOG_BLOCK_IN', 'LOG_BLOCK_OUT', 'LOG_UOP_BUFF_SIZE', 'LOG_INP_BUFF_SIZE', 'LOG_WGT_BUFF_SIZE', 'LOG_ACC_BUFF_SIZE', 'BUS_WIDTH_BYTES', 'ALU_OPCODES', 'PAD_MIN_VALUE', 'ITER_WIDTH', 'TRACE_UNIT', 'TARGET', 'HW_VER'];

function configText(rng: Rng, base: Record<string, unknown>): { text: string; label: string } {
  const json: Record<string, unknown> = { ...base };
  switch (rng.int(0, 7)) {
    case 0: {
      const key = rng.pick(KEYS);
      json[key] = rng.jsonValue();
      return { text: JSON.stringify(json, null, 2), label: `${key} := ${JSON.stringify(json[key])}` };
    }
    case 1: {
      const key = rng.pick(Object.keys(json));
      delete json[key];
      return { text: JSON.stringify(json), label: `${key} removed` };
    }
    case 2: {
      const key = rng.text();
      json[key] = rng.jsonValue();
      return { text: JSON.stringify(json, null, 2), label: `unknown key ${JSON.stringify(key)}` };
    }
    case 3: {
      const v = rng.jsonValue();
      return { text: JSON.stringify(v) ?? '', label: `root ${JSON.stringify(v)}` };
    }
    case 4: {
      const text = JSON.stringify(json, null, 2);
      const at = rng.int(0, text.length);
      return { text: text.slice(0, at), label: `cut at ${at}` };
    }
    case 5: {
      const text = JSON.stringify(json, null, 2);
      const at = rng.int(0, text.length);
      const junk = rng.text();
      return { text: text.slice(0, at) + junk + text.slice(at), label: `${JSON.stringify(junk)} spliced in at ${at}` };
    }
    case 6: {
      // In range, so usually valid: the run itself must then work or fail cleanly.
      const key = rng.pick(['LOG_BLOCK', 'LOG_BATCH', 'LOG_UOP_BUFF_SIZE', 'LOG_INP_BUFF_SIZE', 'LOG_ACC_BUFF_SIZE', 'ITER_WIDTH']);
      json[key] = rng.int(0, 20);
      return { text: JSON.stringify(json), label: `${key} := ${json[key]}` };
    }
    default:
      return { text: JSON.stringify(json) + ' '.repeat(70 * 1024), label: 'padded beyond 64 KiB' };
  }
}

export const configGroup: FuzzGroup = {
  name: 'configs',
  prepare: () => fixtureConfigNames().map((n) => JSON.parse(readFileSync(repoPath('fixtures', 'configs', `${n}.json`), 'utf8')) as Record<string, unknown>),
  make(rng, index, base, dir): FuzzCase {
    const d = caseDir(dir, index);
    const argv = (path: string) => ['run', '--target', 'fsim', '--workload', 'gemm', '--config', path, '--timeout-ms', '20000'];
    if (rng.chance(0.04)) {
      const { path, label } = specialFile(rng, d, 'config.json');
      return { label, argv: argv(path), names: [path], subprocess: true };
    }
    const { text, label } = configText(rng, rng.pick(base as Record<string, unknown>[]));
    const path = join(d, 'config.json');
    writeFileSync(path, text);
    return { label, argv: argv(path), names: [path] };
  },
};
