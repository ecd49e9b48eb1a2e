/**
 * The "preceding events" part of a divergence report: a unified diff (the `diff` package) of
 * the events leading up to the first divergence on two runs, one event per line.
 *
 * Only the hunk that ends at the divergence is kept. The two event windows may start at
 * different events (one run recorded an extra event earlier, or a window boundary fell
 * differently), and a plain diff would then open with a spurious hunk of "added" lines that
 * have nothing to do with the divergence.
 */
import { structuredPatch } from 'diff';

export function divergenceContext(nameA: string, nameB: string, linesA: string[], linesB: string[], context: number): string {
  const patch = structuredPatch(nameA, nameB, linesA.join('\n') + '\n', linesB.join('\n') + '\n', '', '', { context });
  const last = patch.hunks[patch.hunks.length - 1];
  const head = [`--- ${nameA}`, `+++ ${nameB}`];
  if (!last) return [...head, ...linesA.slice(-context).map((l) => ` ${l}`)].join('\n') + '\n';
  const range = (start: number, n: number) => `${start},${n}`;
  return [...head, `@@ -${range(last.oldStart, last.oldLines)} +${range(last.newStart, last.newLines)} @@`, ...last.lines].join('\n') + '\n';
}
