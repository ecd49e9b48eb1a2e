/**
 * Every file a command writes (trace and results databases, JUnit reports, bundles, waveforms)
 * passes through `prepareOutputFile` before the work starts: its missing parent folders are
 * created, and a path that is a directory, not a regular file (where one is needed) or not
 * writable is refused at once, with one line naming it — not after a suite has run and its
 * results would be lost.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { VtaUserError } from '../errors.js';

/** An output path that cannot be written: names the path, what it was for and why not. */
export class OutputPathError extends VtaUserError {
  override name = 'OutputPathError';
  constructor(
    readonly path: string,
    readonly what: string,
    readonly problem: string,
  ) {
    super(`${path}: cannot write ${what}: ${problem}`);
  }
}

export interface OutputFileOptions {
  /**
   * Accept an existing character device (`--junit /dev/null`, `/dev/stdout`). Databases and
   * files replaced by a rename (bundles) need a regular file and leave this off.
   */
  allowDevice?: boolean;
  /** Also require the folder to be writable even when the file exists (SQLite's -wal and -shm files live beside it). */
  needsWritableFolder?: boolean;
}

const reason = (e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EROFS') return 'read-only file system';
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'permission denied';
  if (err.code === 'ENOTDIR') return 'a part of the path is not a directory';
  return err.message;
};

/**
 * Make `path` ready to be written, or throw OutputPathError. `what` names the file for the user,
 * e.g. "trace database", "JUnit report". Returns the path unchanged.
 */
export function prepareOutputFile(path: string, what: string, opts: OutputFileOptions = {}): string {
  if (path === ':memory:' || path === '') return path;
  const fail = (problem: string): never => {
    throw new OutputPathError(path, what, problem);
  };
  const folder = dirname(resolve(path));
  let exists = false;
  try {
    const st = statSync(path);
    exists = true;
    if (st.isDirectory()) fail('it is a directory');
    if (!st.isFile() && !(opts.allowDevice && st.isCharacterDevice())) fail('not a regular file');
  } catch (e) {
    if (e instanceof OutputPathError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') fail(reason(e));
  }
  if (!exists) {
    try {
      mkdirSync(folder, { recursive: true });
    } catch (e) {
      fail(`cannot create its folder ${folder}: ${reason(e)}`);
    }
  }
  try {
    accessSync(exists ? path : folder, constants.W_OK);
    if (exists && opts.needsWritableFolder) accessSync(folder, constants.W_OK);
  } catch (e) {
    fail(reason(e));
  }
  return path;
}
