/**
 * "Did you mean …?" for a name the user mistyped (workload, target, suite, config, variant, mode…):
 * the known name nearest in edit distance, when it is near enough to be a typo rather than
 * another word. Commander does the same for commands and options (cli/main.ts).
 */

/** Levenshtein distance with adjacent transpositions (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate nearest to `name` (case-insensitive), if its distance is at most a third of the
 * longer name (at least 1): "tsmi" → "tsim", "resnet81" → "resnet18", but "foo" suggests nothing.
 */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const wanted = name.toLowerCase();
  for (const c of candidates) {
    const dist = editDistance(wanted, c.toLowerCase());
    if (dist < bestDistance) [best, bestDistance] = [c, dist];
  }
  if (best === undefined || bestDistance === 0) return best;
  return bestDistance <= Math.max(1, Math.floor(Math.max(name.length, best.length) / 3)) ? best : undefined;
}

/** ` (did you mean "x"?)`, or '' when nothing is near: appended to an "unknown …" message. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const near = nearestName(name, candidates);
  return near !== undefined && near !== name ? ` (did you mean "${near}"?)` : '';
}
