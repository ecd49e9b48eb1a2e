/**
 * The binary search of bisect against a linear scan (the independent answer): for every position
 * of the first changed commit and every set of unbuildable commits in lists of up to 7 commits,
 * the search names that commit, or — when skipped commits hide it — exactly the commits it may be.
 */
import { describe, expect, it } from 'vitest';
import { firstChanged } from './search.js';

describe('firstChanged', () => {
  it('agrees with a linear scan, skips included, probing each commit at most once', async () => {
    for (let n = 1; n <= 7; n++) {
      for (let first = 0; first < n; first++) {
        // Every subset of the commits before BAD may be unbuildable.
        for (let mask = 0; mask < 1 << (n - 1); mask++) {
          const skip = (i: number) => ((mask >> i) & 1) === 1;
          const probes: number[] = [];
          const r = await firstChanged(n, async (i) => {
            probes.push(i);
            return skip(i) ? 'skip' : i >= first;
          });
          expect(new Set(probes).size).toBe(probes.length);
          // Linear: the last buildable unchanged commit before `first`, then everything up to the first buildable changed one.
          let lo = -1;
          for (let i = 0; i < first; i++) if (!skip(i)) lo = i;
          let hi = first;
          while (hi < n - 1 && skip(hi)) hi++;
          const candidates = Array.from({ length: hi - lo }, (_, k) => lo + 1 + k);
          if (candidates.length === 1) expect(r).toEqual({ kind: 'found', index: first });
          else expect(r, `n=${n} first=${first} mask=${mask}`).toEqual({ kind: 'ambiguous', indices: candidates });
        }
      }
    }
  });

  it('takes about log2(n) probes without skips', async () => {
    let probes = 0;
    const r = await firstChanged(1000, async (i) => (probes++, i >= 377));
    expect(r).toEqual({ kind: 'found', index: 377 });
    expect(probes).toBeLessThanOrEqual(10);
  });
});
