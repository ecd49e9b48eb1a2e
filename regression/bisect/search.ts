/**
 * Binary search for the first commit of a list whose verdict is "changed", as `git bisect` does:
 * the commit before the list (GOOD) is unchanged and the last (BAD) changed; a commit that cannot
 * be judged (it does not build) is skipped and a neighbour tried instead. When skipped commits
 * hide the answer, every commit it may be is returned.
 */
export type Probe = (index: number) => Promise<boolean | 'skip'>;

export type SearchResult =
  /** The first changed commit, exactly. */
  | { kind: 'found'; index: number }
  /** The first changed commit is one of these (all skipped but the last, which changed). */
  | { kind: 'ambiguous'; indices: number[] };

/** `probe(count - 1)` must be true (the caller checked BAD). Each index is probed at most once. */
export async function firstChanged(count: number, probe: Probe): Promise<SearchResult> {
  const seen = new Map<number, boolean | 'skip'>();
  const judge = async (i: number) => {
    if (!seen.has(i)) seen.set(i, await probe(i));
    return seen.get(i)!;
  };
  let lo = -1; // unchanged (GOOD)
  let hi = count - 1; // changed (BAD)
  for (;;) {
    if (hi - lo <= 1) return { kind: 'found', index: hi };
    const mid = (lo + hi) >> 1;
    // The commits strictly between lo and hi, nearest to the middle first.
    const order: number[] = [];
    for (let d = 0; order.length < hi - lo - 1; d++) {
      if (mid - d > lo && mid - d < hi) order.push(mid - d);
      if (d > 0 && mid + d > lo && mid + d < hi) order.push(mid + d);
    }
    let judged: { i: number; changed: boolean } | undefined;
    for (const i of order) {
      const v = await judge(i);
      if (v !== 'skip') {
        judged = { i, changed: v };
        break;
      }
    }
    if (!judged) return { kind: 'ambiguous', indices: Array.from({ length: hi - lo }, (_, k) => lo + 1 + k) };
    if (judged.changed) hi = judged.i;
    else lo = judged.i;
  }
}
