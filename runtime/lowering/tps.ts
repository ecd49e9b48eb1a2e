/**
 * Tiling Parameter Search (TPS, appendix A of the configurable-VTA paper): for one convolution
 * and one configuration, enumerate the outer/inner splits of five loop dimensions and the two
 * virtual-thread choices, drop those whose tiles overflow a scratchpad, and keep the one that
 * moves the fewest bytes from DRAM. The cost model is the paper's, term for term; units are
 * noted where the paper leaves them implicit.
 */
import type { VtaParams } from '../config/config.js';
import { VtaUserError } from '../errors.js';
import { outputSize, type ConvShape } from './conv-shape.js';

/** Outer factor of each tiled dimension (the inner one is size / outer). */
export interface Tiling {
  tbO: number;
  thO: number;
  twO: number;
  tcoO: number;
  tciO: number;
  /** Virtual threads along output channels (weights double buffered) and along height (inputs). */
  ocN: 1 | 2;
  hN: 1 | 2;
}

export interface TilingCost {
  tiling: Tiling;
  /** Elements loaded into each scratchpad over the whole layer (eq. 2 terms). */
  lInp: number;
  lWgt: number;
  lAcc: number;
  /** Scratchpad use in elements, against the capacities below (eqs. 3, 6). */
  sInp: number;
  sWgt: number;
  sAcc: number;
  /** DRAM bytes: element counts times element widths. */
  dramBytes: number;
  fits: boolean;
}

export interface TpsResult {
  shape: ConvShape;
  best: TilingCost;
  /** The minimal-scratchpad schedule every layer can fall back to (all outer factors maximal). */
  fallback: TilingCost;
  /** Candidates enumerated and how many fit the scratchpads. */
  candidates: number;
  fitting: number;
}

export class TilingError extends VtaUserError {
  override name = 'TilingError';
}

/** Scratchpad capacities in elements. */
function capacities(p: VtaParams) {
  return { inp: p.inpDepth * p.batch * p.blockIn, wgt: p.wgtDepth * p.blockOut * p.blockIn, acc: p.accDepth * p.batch * p.blockOut };
}

function divisors(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) out.push(d);
  return out;
}

/** The tiled dimension sizes: batch in VTA batches, output rows and columns, channel blocks. */
export function tiledDims(s: ConvShape, p: VtaParams) {
  for (const [what, n, d] of [['batch', s.b, p.batch], ['input channels', s.fi, p.blockIn], ['output channels', s.fo, p.blockOut]] as const) {
    if (n % d !== 0) throw new TilingError(`${s.name}: ${what} ${n} is not a multiple of ${d} (configuration ${p.bitstream})`);
  }
  const { oh, ow } = outputSize(s);
  return { nb: s.b / p.batch, oh, ow, dout: s.fo / p.blockOut, din: s.fi / p.blockIn };
}

export function tilingCost(s: ConvShape, p: VtaParams, t: Tiling): TilingCost {
  const { oh, ow } = outputSize(s);
  const vt = t.ocN * t.hN;
  // eq. 3: one tile's input rows/columns (with the halo), times the channel blocks it reads.
  const rows = Math.floor((s.h / t.thO + 2 * s.ph - s.kh) / s.sh) * s.sh + s.kh;
  const cols = Math.floor((s.w / t.twO + 2 * s.pw - s.kw) / s.sw) * s.sw + s.kw;
  const tbI = s.b / p.batch / t.tbO;
  const sInp = tbI * (s.fi / p.blockIn / t.tciO) * rows * cols * p.batch * p.blockIn * vt;
  const sWgt = ((s.fo / p.blockOut) * (s.fi / p.blockIn) * s.kh * s.kw * p.blockOut * p.blockIn * vt) / (t.tcoO * t.tciO);
  // eq. 6: the output tile plus its bias, per virtual thread.
  const sAcc = (((s.b / p.batch) * (s.fo / p.blockOut) * oh * ow * p.batch * p.blockOut) / (t.tbO * t.tcoO * t.thO * t.twO) + (s.fo * s.b) / (t.tbO * t.tcoO)) * vt;
  // eq. 2: every (batch, row, column, out-channel) outer tile reloads its inputs and weights.
  const reloads = t.tbO * (t.thO / t.hN) * (t.tcoO / t.ocN) * t.twO * t.tciO;
  const lInp = reloads * sInp;
  const lWgt = reloads * sWgt;
  const lAcc = t.tbO * t.thO * t.twO * s.fo;
  const cap = capacities(p);
  return {
    tiling: t,
    lInp,
    lWgt,
    lAcc,
    sInp,
    sWgt,
    sAcc,
    dramBytes: (lInp * p.inpWidth + lWgt * p.wgtWidth + lAcc * p.accWidth) / 8,
    fits: sInp <= cap.inp && sWgt <= cap.wgt && sAcc <= cap.acc,
  };
}

/** Every tiling of the layer, fitting or not. */
export function enumerateTilings(s: ConvShape, p: VtaParams): Tiling[] {
  const d = tiledDims(s, p);
  const out: Tiling[] = [];
  for (const tbO of divisors(d.nb))
    for (const thO of divisors(d.oh))
      for (const twO of divisors(d.ow))
        for (const tcoO of divisors(d.dout))
          for (const tciO of divisors(d.din))
            for (const [ocN, hN] of [[1, 1], [2, 1], [1, 2]] as const) {
              // A virtual thread splits its outer loop in two: the factor must divide evenly.
              if (tcoO % ocN !== 0 || thO % hN !== 0) continue;
              out.push({ tbO, thO, twO, tcoO, tciO, ocN, hN });
            }
  return out;
}

export function fallbackTiling(s: ConvShape, p: VtaParams): Tiling {
  const d = tiledDims(s, p);
  return { tbO: d.nb, thO: d.oh, twO: d.ow, tcoO: d.dout, tciO: d.din, ocN: 1, hN: 1 };
}

/**
 * Ties on DRAM bytes (virtual threads never change the byte count, only the footprint) go to
 * the tiling with more virtual threads, whose loads overlap compute, then to the smaller
 * scratchpad footprint, then to enumeration order.
 */
function better(a: TilingCost, b: TilingCost): boolean {
  const footprint = (x: TilingCost) => x.sInp + x.sWgt + x.sAcc;
  const threads = (x: TilingCost) => x.tiling.ocN * x.tiling.hN;
  return a.dramBytes !== b.dramBytes ? a.dramBytes < b.dramBytes : threads(a) !== threads(b) ? threads(a) > threads(b) : footprint(a) < footprint(b);
}

export function searchTiling(s: ConvShape, p: VtaParams): TpsResult {
  const all = enumerateTilings(s, p).map((t) => tilingCost(s, p, t));
  const fitting = all.filter((c) => c.fits);
  const fallback = tilingCost(s, p, fallbackTiling(s, p));
  if (!fallback.fits) throw new TilingError(`${s.name}: even the minimal tiling overflows a scratchpad on ${p.bitstream} (inp ${fallback.sInp}, wgt ${fallback.sWgt}, acc ${fallback.sAcc} elements)`);
  let best = fitting[0]!;
  for (const c of fitting) if (better(c, best)) best = c;
  return { shape: s, best, fallback, candidates: all.length, fitting: fitting.length };
}

/** Every tiling TPS accepts, best first (searchTiling's order), for callers with further limits. */
export function rankedTilings(s: ConvShape, p: VtaParams): TilingCost[] {
  const fitting = enumerateTilings(s, p)
    .map((t) => tilingCost(s, p, t))
    .filter((c) => c.fits);
  return fitting.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
}
