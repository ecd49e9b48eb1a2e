/** File helpers shared by the groups: a case folder, byte-level damage, special files. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Rng } from '../rng.js';

export function caseDir(dir: string, index: number): string {
  const d = join(dir, `case-${index}`);
  mkdirSync(d, { recursive: true });
  return d;
}

/** Flip, overwrite, cut or extend the bytes of a file at random (past `keep` bytes, if asked). */
export function damageBytes(rng: Rng, file: string, keep = 0): string {
  const bytes = new Uint8Array(readFileSync(file));
  const kind = rng.int(0, 3);
  if (kind === 0 && bytes.length > keep) {
    const n = rng.int(1, 8);
    for (let i = 0; i < n; i++) bytes[rng.int(keep, bytes.length - 1)] ^= 1 << rng.int(0, 7);
    writeFileSync(file, bytes);
    return `${n} bit(s) flipped`;
  }
  if (kind === 1 && bytes.length > keep) {
    const at = rng.int(keep, bytes.length - 1);
    bytes.set(rng.bytes(Math.min(rng.int(1, 64), bytes.length - at)), at);
    writeFileSync(file, bytes);
    return `bytes overwritten at ${at}`;
  }
  if (kind === 2) {
    const len = rng.int(0, bytes.length);
    truncateSync(file, len);
    return `cut to ${len} bytes`;
  }
  writeFileSync(file, Buffer.concat([bytes, rng.bytes(rng.int(1, 100))]));
  return 'bytes appended';
}

/**
 * A path that is not a regular file, or is one far too large: a FIFO, a device, a directory, a
 * link to a device, a sparse file of 50 MB. Reading any of them whole (or at all) used to block
 * or fill the heap, so cases over them run as processes.
 */
export function specialFile(rng: Rng, dir: string, name: string): { path: string; label: string } {
  const path = join(dir, name);
  switch (rng.int(0, 4)) {
    case 0:
      execFileSync('mkfifo', [path]);
      return { path, label: 'a FIFO' };
    case 1:
      symlinkSync('/dev/zero', path);
      return { path, label: 'a link to /dev/zero' };
    case 2:
      mkdirSync(path);
      return { path, label: 'a directory' };
    case 3:
      symlinkSync('/dev/null', path);
      return { path, label: 'a link to /dev/null' };
    default:
      writeFileSync(path, '');
      truncateSync(path, 50 * 1024 * 1024);
      return { path, label: 'a sparse file of 50 MB' };
  }
}
