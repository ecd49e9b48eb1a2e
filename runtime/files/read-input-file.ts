/**
 * Reading a file the user named as input (a configuration, a bundle): only a regular file, and
 * only up to a size limit, checked on the open descriptor before anything is read. A FIFO, a
 * character device (/dev/zero) or a directory would otherwise block the read forever or fill
 * the heap; a file larger than any real input of its kind is refused instead of read whole.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Why a path cannot be read as an input file, in words for an error line. */
export class InputFileProblem extends Error {
  override name = 'InputFileProblem';
}

function kindOf(mode: number): string {
  const t = mode & constants.S_IFMT;
  if (t === constants.S_IFDIR) return 'a directory';
  if (t === constants.S_IFIFO) return 'a FIFO';
  if (t === constants.S_IFCHR) return 'a character device';
  if (t === constants.S_IFBLK) return 'a block device';
  if (t === constants.S_IFSOCK) return 'a socket';
  return 'not a regular file';
}

/**
 * The bytes of `path`, or an InputFileProblem saying why not (missing, unreadable, not a regular
 * file, larger than `maxBytes`). O_NONBLOCK keeps the open of a FIFO without a writer from
 * waiting; it has no effect on a regular file.
 */
export function readInputFile(path: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new InputFileProblem(`cannot read: ${(e as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputFileProblem(`cannot read: ${kindOf(st.mode)}, expected a regular file`);
    if (st.size > maxBytes) throw new InputFileProblem(`${st.size} bytes, larger than the limit of ${maxBytes} bytes for this kind of file`);
    // Room for one byte more than fstat said: a file that grows while it is read is refused.
    const buf = Buffer.allocUnsafe(st.size + 1);
    let got = 0;
    for (;;) {
      const n = readSync(fd, buf, got, buf.length - got, null);
      if (n === 0) break;
      got += n;
      if (got === buf.length) throw new InputFileProblem('cannot read: the file grew while being read');
    }
    return buf.subarray(0, got);
  } catch (e) {
    if (e instanceof InputFileProblem) throw e;
    throw new InputFileProblem(`cannot read: ${(e as Error).message}`);
  } finally {
    closeSync(fd);
  }
}
