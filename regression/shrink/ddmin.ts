/**
 * Zeller and Hildebrandt's ddmin ("Simplifying and isolating failure-inducing input", 2002):
 * the smallest subset of `items` (1-minimal: removing any one more element makes `fails` false)
 * found by testing subsets and complements at doubling granularity. `fails(kept)` says whether
 * the reduced input still shows the failure. Results are cached by subset.
 */
export async function ddmin<T>(items: readonly T[], fails: (kept: T[]) => Promise<boolean>): Promise<T[]> {
  const cache = new Map<string, boolean>();
  const index = new Map(items.map((x, i) => [x, i] as const));
  const test = async (kept: T[]): Promise<boolean> => {
    const key = kept.map((x) => index.get(x)).join(',');
    let r = cache.get(key);
    if (r === undefined) cache.set(key, (r = await fails(kept)));
    return r;
  };
  let c = [...items];
  let n = 2;
  while (c.length >= 2) {
    const parts = split(c, n);
    let reduced = false;
    for (const part of parts) {
      if (await test(part)) {
        c = part;
        n = 2;
        reduced = true;
        break;
      }
    }
    if (!reduced && n > 2) {
      for (const part of parts) {
        const rest = c.filter((x) => !part.includes(x));
        if (await test(rest)) {
          c = rest;
          n = Math.max(n - 1, 2);
          reduced = true;
          break;
        }
      }
    }
    if (!reduced) {
      if (n >= c.length) break;
      n = Math.min(c.length, 2 * n);
    }
  }
  if (c.length === 1 && (await test([]))) c = [];
  return c;
}

function split<T>(c: T[], n: number): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = start + Math.floor((c.length - start) / (n - i));
    out.push(c.slice(start, end));
    start = end;
  }
  return out.filter((p) => p.length);
}
