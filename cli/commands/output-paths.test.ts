/**
 * Output paths (issues 18 and 19): a trace database in a folder that does not exist yet (the
 * README's `bash ci/demo.sh` on a fresh clone: ".cache/demo.db: cannot open trace database"),
 * and `regress --junit DIR` with DIR a directory, refused only after the suite ran (EISDIR, its
 * results lost). Every file a command writes gets its folders, and an unusable path is refused
 * before the work starts.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputPathError, prepareOutputFile } from '../../runtime/files/output-path.js';
import { runCli } from '../testing/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-output-paths-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// One recorded upstream program: the smallest case of the smoke suite.
const ONE_CASE = ['--suite', 'smoke', '--filter', '^vec:load_inp_plain@default$', '--no-results', '--jobs', '1'];

describe('missing folders are created', () => {
  it('diff --db .cache/demo.db in a fresh checkout (no .cache yet)', async () => {
    const db = join(dir, 'fresh-clone', '.cache', 'demo.db');
    const r = await runCli('diff', 'fsim', 'fsim', '--workload', 'gemm', '--config', 'small', '--db', db);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(db)).toBe(true);
  });

  it('regress --junit and bundle save -o into folders that do not exist', async () => {
    const junit = join(dir, 'reports', 'deep', 'junit.xml');
    const r = await runCli('regress', ...ONE_CASE, '--junit', junit);
    expect(r.code).toBe(0);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testcase classname="smoke" name="vec:load_inp_plain@default"/);
    const bundle = join(dir, 'bundles', 'gemm.vtab');
    expect((await runCli('bundle', 'save', '--workload', 'gemm', '--config', 'small', '-o', bundle)).code).toBe(0);
    expect(existsSync(bundle)).toBe(true);
  });
});

describe('an unusable output path is refused before the work starts', () => {
  it('regress --junit DIR: one line, exit 2, and no case run', async () => {
    const target = join(dir, 'a-directory');
    mkdirSync(target);
    const r = await runCli('regress', ...ONE_CASE, '--junit', target);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(`vta-trace: ${target}: cannot write JUnit report: it is a directory\n`);
  });

  it('bundle save -o DIR, and a folder that is a file', async () => {
    expect((await runCli('bundle', 'save', '--workload', 'gemm', '--config', 'small', '-o', dir)).err).toBe(`vta-trace: ${dir}: cannot write bundle file: it is a directory\n`);
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'not a folder');
    const under = join(file, 'x.db');
    const r = await runCli('diff', 'fsim', 'fsim', '--workload', 'gemm', '--config', 'small', '--db', under);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^vta-trace: ${under}: cannot write trace database: (a part of the path is not a directory|cannot create its folder ${file}: )`));
  });

  it('prepareOutputFile: devices only where allowed', () => {
    expect(() => prepareOutputFile('/dev/null', 'trace database')).toThrow(OutputPathError);
    expect(() => prepareOutputFile('/dev/null', 'trace database')).toThrow('/dev/null: cannot write trace database: not a regular file');
    expect(prepareOutputFile('/dev/null', 'JUnit report', { allowDevice: true })).toBe('/dev/null');
  });
});
