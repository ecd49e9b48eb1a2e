/**
 * Trace databases as hostile input (issue 19): corrupt JSON columns gave "internal error:
 * SyntaxError" from runs, show and diff --db; an events row claiming 10^8 events ran show out of
 * heap; a database path linked to /dev/null, a read-only file system and a full disk gave
 * SqliteError stacks. Each is now one line naming the file, exit 2.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/testing/run-cli.js';
import { runProcess } from '../../fuzz/run-process.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-hostile-db-'));
const base = join(dir, 'base.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  // Runs 1, 2: fsim twice in sram mode (events stored); runs 3, 4: against a seeded GEMM lane bug, digest mode (diverge).
  const small = ['--workload', 'gemm', '--config', 'small', '--db', base];
  expect((await runCli('diff', 'fsim', 'fsim', '--mode', 'sram', ...small)).code).toBe(0);
  expect((await runCli('diff', 'fsim', 'fsim+gemm-lane:pc=4,lane=1', ...small)).code).toBe(1);
});

let n = 0;
/** A copy of the base database with `sql` applied. */
function damaged(sql: string): string {
  const file = join(dir, `damaged-${n++}.db`);
  copyFileSync(base, file);
  const db = new Database(file);
  db.exec(sql);
  db.close();
  return file;
}

const oneLine = (r: { code: number; err: string }, text: string) => {
  expect(r.err).not.toMatch(/internal error|\n\s+at /);
  expect(r.code).toBe(2);
  expect(r.err.trimEnd().split('\n')).toEqual([`vta-trace: ${text}`]);
};

describe('corrupt JSON columns: "<file>: not a valid trace database: <row, column>: <what>"', () => {
  it('counters_json cut short, from runs, show and diff --db', async () => {
    const file = damaged(`UPDATE runs SET counters_json = '{"cycles": 65,' WHERE id = 1`);
    const text = `${file}: not a valid trace database: runs row 1, counters_json: not valid JSON ("{\\"cycles\\": 65,")`;
    oneLine(await runCli('runs', '--db', file), text);
    oneLine(await runCli('show', '1', '--db', file), text);
    oneLine(await runCli('diff', '--db', file, '1', '2'), text);
  });

  it('module_cycles_json of another shape', async () => {
    const file = damaged(`UPDATE runs SET module_cycles_json = '[1, 2, 3]' WHERE id = 2`);
    oneLine(await runCli('show', '2', '--db', file), `${file}: not a valid trace database: runs row 2, module_cycles_json: expected an object with load, compute, store, found [1,2,3]`);
  });

  it('a source map entry whose loop is not JSON, read when diff --db names the diverging instruction', async () => {
    const file = damaged(`UPDATE source_map SET loop_json = '{oc: 1' WHERE pc = 4`);
    const r = await runCli('diff', '--db', file, '3', '4');
    oneLine(r, `${file}: not a valid trace database: source_map row (bundle "${/bundle "([0-9a-f]+)"/.exec(r.err)?.[1]}", pc 4), loop_json: not valid JSON ("{oc: 1")`);
  });

  it('a bundle whose configuration is not one', async () => {
    const file = damaged(`UPDATE bundles SET config_json = '{"LOG_BLOCK": 99}'`);
    const r = await runCli('show', '1', '--db', file);
    expect(r.err).toMatch(new RegExp(`^vta-trace: ${file}: not a valid trace database: bundles row "[0-9a-f]+", config_json: config key LOG_INP_WIDTH: is required\\n$`));
    expect(r.code).toBe(2);
  });
});

describe('counts checked against BLOB sizes before anything is allocated', () => {
  it('show on one events row claiming 100 000 000 events: refused at once (it ran out of heap after 46 s)', () => {
    const file = damaged(`UPDATE events SET n = 100000000 WHERE id = (SELECT min(id) FROM events WHERE run_id = 1)`);
    // A process with a small heap, so that the old behaviour fails fast instead of filling the machine.
    const r = runProcess(['show', '1', '--db', file], 60_000, undefined, ['--max-old-space-size=256']);
    expect(r.timedOut).toBe(false);
    expect(r.err).toMatch(new RegExp(`^vta-trace: ${file}: not a valid trace database: events row \\d+, data: \\d+ bytes, but n 100000000 × elem_len \\d+ = \\d+\\n$`));
    expect(r.code).toBe(2);
  });

  it('a digests row whose count disagrees with its BLOBs', async () => {
    const file = damaged(`UPDATE digests SET count = 200 WHERE run_id = 3`);
    const r = await runCli('diff', '--db', file, '3', '4');
    oneLine(r, `${file}: not a valid trace database: digests row (run 3, chunk 0), insn_digests: 72 bytes for count 200, expected 1600`);
  });
});

describe('paths and disks', () => {
  it('a database path linked to /dev/null: one line, exit 2 (was "internal error: SqliteError: disk I/O error")', async () => {
    const link = join(dir, 'null.db');
    symlinkSync('/dev/null', link);
    oneLine(await runCli('diff', 'fsim', 'fsim', '--workload', 'gemm', '--config', 'small', '--db', link), `${link}: cannot write trace database: not a regular file`);
    oneLine(await runCli('runs', '--db', link), `${link}: not a valid trace database: not a regular file`);
  });

  // Needs a file system of its own (tmpfs): run as root, as CI does; skipped where mount is not allowed.
  const mountable = (() => {
    try {
      const probe = join(dir, 'probe');
      mkdirSync(probe);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
      execFileSync('umount', [probe]);
      return true;
    } catch {
      return false;
    }
  })();

  function withTmpfs(size: string, body: (mnt: string) => Promise<void>): () => Promise<void> {
    return async () => {
      const mnt = join(dir, `mnt-${n++}`);
      mkdirSync(mnt);
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mnt]);
      try {
        await body(mnt);
      } finally {
        execFileSync('umount', ['-l', mnt]);
      }
    };
  }

  it.skipIf(!mountable)(
    'a read-only file system with an existing database: one line naming it',
    withTmpfs('1m', async (mnt) => {
      copyFileSync(base, join(mnt, 'ro.db'));
      execFileSync('mount', ['-o', 'remount,ro', mnt]);
      oneLine(await runCli('diff', 'fsim', 'fsim', '--workload', 'gemm', '--config', 'small', '--db', join(mnt, 'ro.db')), `${join(mnt, 'ro.db')}: cannot write trace database: read-only file system`);
    }),
  );

  it.skipIf(!mountable)(
    'a disk already full when the run starts: one line naming the database, the disk full',
    withTmpfs('256k', async (mnt) => {
      copyFileSync(base, join(mnt, 'full.db'));
      try {
        writeFileSync(join(mnt, 'fill'), Buffer.alloc(1 << 20));
      } catch {
        // ENOSPC: the disk is full now.
      }
      const r = await runCli('diff', 'fsim', 'fsim', '--workload', 'gemm', '--config', 'small', '--db', join(mnt, 'full.db'));
      expect(r.err).not.toMatch(/internal error|\n\s+at /);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`^vta-trace: ${join(mnt, 'full.db')}: cannot (open|write) trace database: the disk is full \\(SQLITE_[A-Z_]+\\)\\n$`));
    }),
  );
});
