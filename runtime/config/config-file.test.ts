/**
 * Configuration files as hostile input (issue 19): a FIFO or /dev/zero hung `--config`, a 50 MB
 * file was read whole, and messages could take several lines. Each is now one line naming the
 * file (and the key), exit 2. The FIFO and the device run as processes: in this one they would
 * block the test itself.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/testing/run-cli.js';
import { runProcess } from '../../fuzz/run-process.js';
import { ConfigError } from '../errors.js';
import { loadConfigFile, MAX_CONFIG_FILE_BYTES } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-config-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DEFAULT = { TARGET: 'sim', HW_VER: '0.0.2', LOG_INP_WIDTH: 3, LOG_WGT_WIDTH: 3, LOG_ACC_WIDTH: 5, LOG_BATCH: 0, LOG_BLOCK: 4, LOG_UOP_BUFF_SIZE: 15, LOG_INP_BUFF_SIZE: 15, LOG_WGT_BUFF_SIZE: 18, LOG_ACC_BUFF_SIZE: 17 };

describe('--config must be a regular file', () => {
  it.each([
    ['a FIFO', () => (execFileSync('mkfifo', [join(dir, 'fifo.json')]), join(dir, 'fifo.json')), /a FIFO, expected a regular file/],
    ['/dev/zero', () => '/dev/zero', /a character device, expected a regular file/],
  ])('%s: refused at once, exit 2, one line naming it', (_, make, problem) => {
    const path = make();
    const r = runProcess(['run', '--workload', 'gemm', '--config', path], 20_000);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(`${path}: config key (file): cannot read: `);
    expect(r.err).toMatch(problem);
  });

  it('a directory is refused naming it', () => {
    expect(() => loadConfigFile(dir)).toThrow(new RegExp(`^${dir}: config key \\(file\\): cannot read: a directory`));
  });
});

describe('size limit', () => {
  it(`a 50 MB file is refused from its size, beyond the ${MAX_CONFIG_FILE_BYTES}-byte limit, without being read`, () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, 50 * 1024 * 1024); // sparse: reading it whole would cost 50 MB
    expect(() => loadConfigFile(big)).toThrow(`${big}: config key (file): 52428800 bytes, larger than the limit of 65536 bytes for this kind of file`);
  });

  it('a file just under the limit is read', () => {
    const padded = join(dir, 'padded.json');
    const text = JSON.stringify(DEFAULT);
    writeFileSync(padded, text + ' '.repeat(MAX_CONFIG_FILE_BYTES - text.length));
    expect(loadConfigFile(padded).blockIn).toBe(16);
  });
});

describe('one line, naming the file and the key', () => {
  it('invalid JSON spread over lines: the parser quotes the text, line breaks and all; the message stays one line', async () => {
    const file = join(dir, 'multi.json');
    writeFileSync(file, '{\n  "LOG_BLOCK": 4,\n  oops\n}\n');
    const r = await runCli('run', '--workload', 'gemm', '--config', file);
    expect(r.code).toBe(2);
    expect(r.err.endsWith('\n')).toBe(true);
    expect(r.err.trimEnd().split('\n')).toEqual([expect.stringMatching(new RegExp(`^vta-trace: ${file}: config key \\(file\\): not valid JSON: `))]);
  });

  it('an unknown key holding a line break is quoted (escaped), on one line', () => {
    const file = join(dir, 'key.json');
    writeFileSync(file, JSON.stringify({ ...DEFAULT, 'LOG_\nBLOCK': 4 }));
    let e: unknown;
    try {
      loadConfigFile(file);
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as Error).message).toBe(`${file}: config key "LOG_\\nBLOCK": is not a known configuration key`);
  });

  it('a long value is cut in the message', () => {
    const file = join(dir, 'long.json');
    writeFileSync(file, JSON.stringify({ ...DEFAULT, ALU_OPCODES: 'x'.repeat(5000) }));
    const message = (() => {
      try {
        loadConfigFile(file);
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    expect(message).toMatch(new RegExp(`^${file}: config key ALU_OPCODES: must be "upstream" or "fork", got "x{50,60}…$`));
  });
});
