/**
 * Tensors in the blocked layout VTA loads and stores: an N×C×H×W tensor becomes elements
 * (N/tileN)×(C/tileC)×H×W, each element holding a tileN×tileC block, lane (n, c) at n·tileC + c
 * (vta-isa.md §5.1). A matrix is the case H = W = 1: inputs rows×in in BATCH×BLOCK_IN tiles,
 * weights out×in in BLOCK_OUT×BLOCK_IN tiles, results rows×out in BATCH×BLOCK_OUT tiles.
 * Lanes are little-endian, `laneBytes` bytes each (1 for int8, 4 for int32 accumulators).
 */
import type { VtaParams } from '../config/config.js';

export interface BlockedShape {
  n: number;
  c: number;
  h?: number;
  w?: number;
  tileN: number;
  tileC: number;
}

function checkShape(s: BlockedShape, length: number): { h: number; w: number } {
  const h = s.h ?? 1;
  const w = s.w ?? 1;
  if (s.n % s.tileN !== 0 || s.c % s.tileC !== 0) {
    throw new Error(`blocked layout: ${s.n}×${s.c} is not a multiple of the ${s.tileN}×${s.tileC} tile`);
  }
  if (length !== s.n * s.c * h * w) throw new Error(`blocked layout: ${length} values for shape ${s.n}×${s.c}×${h}×${w}`);
  return { h, w };
}

/** Index of (n, c, y, x) in the plain NCHW array and in the blocked byte image, per value. */
function forEachValue(s: BlockedShape, h: number, w: number, f: (plain: number, blocked: number) => void): void {
  const cTiles = s.c / s.tileC;
  const lanes = s.tileN * s.tileC;
  for (let n = 0; n < s.n; n++) {
    for (let c = 0; c < s.c; c++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const element = ((Math.floor(n / s.tileN) * cTiles + Math.floor(c / s.tileC)) * h + y) * w + x;
          f(((n * s.c + c) * h + y) * w + x, element * lanes + (n % s.tileN) * s.tileC + (c % s.tileC));
        }
      }
    }
  }
}

/** Plain NCHW values → the blocked DRAM image. */
export function packBlocked(values: ArrayLike<number>, s: BlockedShape, laneBytes: 1 | 4): Uint8Array {
  const { h, w } = checkShape(s, values.length);
  const out = new Uint8Array(values.length * laneBytes);
  const view = new DataView(out.buffer);
  forEachValue(s, h, w, (plain, blocked) => {
    if (laneBytes === 1) view.setInt8(blocked, values[plain]!);
    else view.setInt32(blocked * 4, values[plain]!, true);
  });
  return out;
}

/** The blocked DRAM image → plain NCHW values (signed). */
export function unpackBlocked(bytes: Uint8Array, s: BlockedShape, laneBytes: 1 | 4): Int32Array {
  const { h, w } = checkShape(s, bytes.length / laneBytes);
  const out = new Int32Array(bytes.length / laneBytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  forEachValue(s, h, w, (plain, blocked) => {
    out[plain] = laneBytes === 1 ? view.getInt8(blocked) : view.getInt32(blocked * 4, true);
  });
  return out;
}

/** Tile shapes of the configuration's buffers, for `packBlocked`. */
export function tilesOf(p: VtaParams) {
  return {
    inp: { tileN: p.batch, tileC: p.blockIn },
    wgt: { tileN: p.blockOut, tileC: p.blockIn },
    acc: { tileN: p.batch, tileC: p.blockOut },
    out: { tileN: p.batch, tileC: p.blockOut },
  } as const;
}
