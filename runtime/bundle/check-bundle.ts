/**
 * The structural checks every bundle passes, whether it is being loaded from a file or about to
 * be written to one: one shared function, so a bundle the project writes always loads again.
 */
import type { ProgramBundle } from './bundle.js';

/** Calls `fail` with the first problem found (a sentence naming the key or buffer); returns if there is none. */
export function checkBundle(b: ProgramBundle, fail: (problem: string) => never): void {
  const insnBuffers = b.buffers.filter((x) => x.role === 'insn');
  if (insnBuffers.length !== 1) fail(`${insnBuffers.length} buffers have role insn, expected exactly 1`);
  const ib = insnBuffers[0]!;
  if (b.insnAddr < ib.addr || b.insnAddr + b.insnCount * 16 > ib.addr + ib.bytes.length) {
    fail(`${b.insnCount} instructions at 0x${b.insnAddr.toString(16)} do not lie inside the insn buffer "${ib.name}"`);
  }
  if (b.sourceMap.length !== b.insnCount) fail(`source map has ${b.sourceMap.length} entries for ${b.insnCount} instructions`);
}
