/**
 * Zeroing DRAM data the divergence does not need: each data buffer (not the program or its
 * micro-ops) is zeroed whole, else in halves, down to a floor of MIN_CHUNK bytes or 1/256 of the
 * buffer; a range already zero costs no test. What is left non-zero is what the bug needs.
 */
import type { DramBuffer } from '../../runtime/bundle/bundle.js';
import type { ShrinkProgram } from './program.js';

const MIN_CHUNK = 64;
const ZEROED_ROLES = new Set(['inp', 'wgt', 'acc', 'out', 'other']);

type Test = (p: ShrinkProgram) => Promise<boolean>;

function zeroed(p: ShrinkProgram, b: number, lo: number, hi: number): ShrinkProgram {
  const buffers = p.buffers.slice();
  const bytes = buffers[b]!.bytes.slice();
  bytes.fill(0, lo, hi);
  buffers[b] = { ...buffers[b]!, bytes } as DramBuffer;
  return { ...p, buffers };
}

export async function zeroData(start: ShrinkProgram, test: Test): Promise<ShrinkProgram> {
  let p = start;
  for (let b = 0; b < p.buffers.length; b++) {
    const buf = p.buffers[b]!;
    if (!ZEROED_ROLES.has(buf.role)) continue;
    const floor = Math.max(MIN_CHUNK, Math.ceil(buf.bytes.length / 256));
    const visit = async (lo: number, hi: number): Promise<void> => {
      if (p.buffers[b]!.bytes.subarray(lo, hi).every((v) => v === 0)) return;
      const c = zeroed(p, b, lo, hi);
      if (await test(c)) {
        p = c;
        return;
      }
      if (hi - lo <= floor) return;
      const mid = lo + Math.ceil((hi - lo) / 2);
      await visit(lo, mid);
      await visit(mid, hi);
    };
    await visit(0, buf.bytes.length);
  }
  return p;
}
