/**
 * Bundle files: headers edited with the checksum recomputed (output ranges beyond DRAM or outside
 * every buffer, buffers dropped, duplicated, moved onto each other, resized; counts changed; any
 * key given any value), bytes damaged without it, and paths that are not regular files. Given to
 * `diff fsim fsim --bundle FILE` (the same target twice: DIVERGED is a wrong verdict) and to
 * `bundle show FILE`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeBundle } from '../../runtime/bundle/bundle-file.js';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { buildWorkload } from '../../runtime/workloads/index.js';
import type { FuzzCase, FuzzGroup } from '../fuzz-case.js';
import { forgeHeader, type RawHeader } from '../forge-bundle.js';
import type { Rng } from '../rng.js';
import { caseDir, damageBytes, specialFile } from './files.js';

type Edit = (h: RawHeader, rng: Rng) => string;

const some = <T>(rng: Rng, xs: T[]): T | undefined => (xs.length ? rng.pick(xs) : undefined);

const EDITS: Edit[] = [
  (h, rng) => {
    const o = some(rng, h.outputs);
    if (!o) return 'no output';
    o.size = rng.pick([2 ** 32, 2 ** 32 + 16, o.size * 2, o.size + 1, 0, 2 ** 40]);
    return `output ${o.name} size := ${o.size}`;
  },
  (h, rng) => {
    const o = some(rng, h.outputs);
    if (!o) return 'no output';
    o.addr = rng.pick([0, 2 ** 32 - 1, o.addr + 4096, o.addr - 4096, 2 ** 31]);
    return `output ${o.name} addr := ${o.addr}`;
  },
  (h, rng) => {
    const i = rng.int(0, h.buffers.length - 1);
    const [b] = h.buffers.splice(i, 1);
    return `buffer ${b?.name} dropped`;
  },
  (h, rng) => {
    const b = rng.pick(h.buffers);
    h.buffers.push({ ...b, name: rng.chance(0.5) ? b.name : `${b.name}2` });
    return `buffer ${b.name} duplicated`;
  },
  (h, rng) => {
    if (h.buffers.length < 2) return 'one buffer';
    const [a, b] = [rng.pick(h.buffers), rng.pick(h.buffers)];
    a.addr = b.addr + rng.int(0, Math.max(0, b.length - 1));
    return `buffer ${a.name} moved onto ${b.name}`;
  },
  (h, rng) => {
    const b = rng.pick(h.buffers);
    b.length = rng.pick([0, b.length - 1, b.length + 8, 2 ** 31]);
    return `buffer ${b.name} length := ${b.length}`;
  },
  (h, rng) => {
    const b = rng.pick(h.buffers);
    b.addr = rng.pick([2 ** 32 - 8, 2 ** 32, 2 ** 53, 0]);
    return `buffer ${b.name} addr := ${b.addr}`;
  },
  (h, rng) => {
    h.insnCount = rng.pick([0, h.insnCount + 1, h.insnCount - 1, 2 ** 28, 2 ** 40]);
    return `insnCount := ${h.insnCount}`;
  },
  (h, rng) => {
    h.sourceMap = h.sourceMap.slice(0, rng.int(0, h.sourceMap.length));
    return `sourceMap cut to ${h.sourceMap.length}`;
  },
  (h, rng) => {
    const e = some(rng, h.expected);
    if (!e) return 'no expected output';
    if (rng.chance(0.5)) e.name = `${e.name}-renamed`;
    else e.length = Math.max(0, e.length - 8);
    return `expected ${e.name} changed`;
  },
  (h, rng) => {
    const key = rng.pick(['insnAddr', 'insnCount', 'buffers', 'outputs', 'sourceMap', 'expected', 'workload', 'config', 'configHash']);
    h[key] = rng.jsonValue();
    return `${key} := ${JSON.stringify(h[key])}`;
  },
  (h, rng) => {
    const b = rng.pick(h.buffers) as unknown as Record<string, unknown>;
    const key = rng.pick(['name', 'role', 'addr', 'offset', 'length']);
    b[key] = rng.jsonValue();
    return `buffer.${key} := ${JSON.stringify(b[key])}`;
  },
];

export const bundleGroup: FuzzGroup = {
  name: 'bundles',
  prepare: () =>
    [
      buildWorkload('gemm', { config: resolveConfig('small'), seed: 1 }),
      buildWorkload('alu:add-tensor', { config: resolveConfig('small'), seed: 2 }),
      buildWorkload('random', { config: resolveConfig('small'), seed: 3 }),
    ].map(encodeBundle),
  make(rng, index, base, dir): FuzzCase {
    const d = caseDir(dir, index);
    const argv = (path: string): { argv: string[]; same?: boolean } =>
      rng.chance(0.7) ? { argv: ['diff', 'fsim', 'fsim', '--bundle', path, '--db', join(d, 'trace.db'), '--timeout-ms', '20000'], same: true } : { argv: ['bundle', 'show', path] };
    if (rng.chance(0.03)) {
      const { path, label } = specialFile(rng, d, 'b.vtab');
      return { label, ...toCase(argv(path), path), subprocess: true };
    }
    const file = rng.pick(base as Uint8Array[]);
    const path = join(d, 'b.vtab');
    let label: string;
    if (rng.chance(0.75)) {
      const labels: string[] = [];
      const bytes = forgeHeader(file, (h) => {
        for (let k = rng.int(1, 2); k > 0; k--) {
          try {
            labels.push(rng.pick(EDITS)(h, rng));
          } catch {
            // An edit that assumes the shape an earlier one destroyed.
            labels.push('(edit not applicable)');
          }
        }
        return h;
      });
      writeFileSync(path, bytes);
      label = `header: ${labels.join('; ')}`;
    } else {
      writeFileSync(path, file);
      label = damageBytes(rng, path);
    }
    return { label, ...toCase(argv(path), path) };
  },
};

function toCase(a: { argv: string[]; same?: boolean }, path: string): Pick<FuzzCase, 'argv' | 'names' | 'sameTargetTwice'> {
  return { argv: a.argv, names: [path], ...(a.same ? { sameTargetTwice: true } : {}) };
}
