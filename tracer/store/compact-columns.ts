/**
 * The compact forms of an events row's `addrs` and `cycles` BLOBs (schema version 3,
 * docs/trace-schema.md §events): a row whose n addresses are a, a+1, …, a+n−1 stores only a (4
 * bytes), a row whose n events share one cycle stores it once (8 bytes). In fsim every row has
 * one cycle (an instruction's writes happen together) and most have consecutive addresses, and
 * these two columns were 17% of the bytes a conv:C10 run in sram mode committed — bytes SQLite
 * must page, log and write. A full-length BLOB (every row of version 2) still reads as before.
 */
import { f64FromBlob, u32FromBlob } from './blobs.js';

/** Whether the addresses are consecutive ascending, so the first one stands for all. */
export function consecutive(addrs: Uint32Array): boolean {
  const a0 = addrs[0]!;
  for (let i = 1; i < addrs.length; i++) if (addrs[i] !== a0 + i) return false;
  return true;
}

/** Whether every event has the first one's cycle (bit for bit, so -0 and NaN stay exact). */
export function oneCycle(cycles: Float64Array): boolean {
  const c0 = cycles[0]!;
  // Zero (which -0 equals) and NaN (which equals nothing) take the exact comparison.
  if (c0 === 0 || c0 !== c0) {
    for (let i = 1; i < cycles.length; i++) if (!Object.is(cycles[i], c0)) return false;
    return true;
  }
  for (let i = 1; i < cycles.length; i++) if (cycles[i] !== c0) return false;
  return true;
}

/** A stored `addrs` BLOB of a row of n events, either form, as n addresses. */
export function addrsFromBlob(b: Uint8Array, n: number): Uint32Array {
  const stored = u32FromBlob(b);
  if (stored.length === n) return stored;
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = stored[0]! + i;
  return out;
}

/** A stored `cycles` BLOB of a row of n events, either form, as n cycles. */
export function cyclesFromBlob(b: Uint8Array, n: number): Float64Array {
  const stored = f64FromBlob(b);
  return stored.length === n ? stored : new Float64Array(n).fill(stored[0]!);
}
