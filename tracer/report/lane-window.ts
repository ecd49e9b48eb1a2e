/**
 * Which lanes of a wide row a report shows: the differing lanes and a few around each, at most
 * a screenful, so a 256-lane WGT row with one bad lane reads as that lane and its neighbours.
 * Lanes left out are printed as `…` (docs/report-format.md).
 */

/** Lanes shown on each side of a differing lane. */
export const LANES_AROUND = 2;
/** At most this many lanes on a line. */
export const MAX_LANES_SHOWN = 16;

/**
 * The lanes to show of a row of `n` lanes, ascending: every lane within LANES_AROUND of a
 * differing one, cut at MAX_LANES_SHOWN; all lanes when the row is that short; without
 * differing lanes, the first ones.
 */
export function shownLanes(n: number, differing: readonly number[]): number[] {
  if (n <= MAX_LANES_SHOWN) return Array.from({ length: n }, (_, i) => i);
  if (!differing.length) return Array.from({ length: MAX_LANES_SHOWN }, (_, i) => i);
  const keep = new Set<number>();
  for (const d of differing) {
    for (let i = Math.max(0, d - LANES_AROUND); i <= Math.min(n - 1, d + LANES_AROUND); i++) keep.add(i);
    if (keep.size >= MAX_LANES_SHOWN) break;
  }
  return [...keep].sort((a, b) => a - b).slice(0, MAX_LANES_SHOWN);
}

/** Shown lanes with a gap marker (null) wherever lanes are left out, including before and after. */
export function withGaps(n: number, shown: readonly number[]): (number | null)[] {
  const out: (number | null)[] = [];
  let next = 0;
  for (const i of shown) {
    if (i > next) out.push(null);
    out.push(i);
    next = i + 1;
  }
  if (next < n) out.push(null);
  return out;
}

/** Lane indices as ranges: `0–15`, `3, 7–9, 200`. */
export function laneRanges(lanes: readonly number[]): string {
  const parts: string[] = [];
  for (let k = 0; k < lanes.length; ) {
    let j = k;
    while (j + 1 < lanes.length && lanes[j + 1] === lanes[j]! + 1) j++;
    parts.push(j - k >= 2 ? `${lanes[k]}–${lanes[j]}` : lanes.slice(k, j + 1).join(', '));
    k = j + 1;
  }
  return parts.join(', ');
}
