/**
 * Figures quoted in the docs are dated with the command that produced them. A measured figure — a
 * number with a unit of time, speed, size or a ratio — must stand in a paragraph, list item or
 * table that says when and how it was measured: a date (YYYY-MM-DD) and a command in backticks
 * (a `vta-trace …`, `npm run …`, `node …`, `bash …` or `VTA_BENCH_…` line). Either may also be in
 * the paragraph just before (an introduction to a table or list). A figure that no longer holds
 * is then recognisable as old, and anyone can measure it again.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoPath, repoRoot } from '../runtime/repo.js';

/**
 * A measured quantity: seconds, ms, µs, ns, a ratio (2.5×), cycles per second, bytes, rates, a
 * percentage. Not a setting or a goal: a number right after "every", "within", "default",
 * "timeout(s)", "wait ~", "goal of", "under", "up to", "at most", "after", "for", "to", "than",
 * ≤ or ≥ (an interval, a limit, a range's end, a target), nor a size of pages, nor the end of
 * 2^31−1.
 */
const NUMBER = String.raw`(?<![\d.,×^−])(?<!(?:every|within|default|timeouts?\`?|waits? ~?|goal of|under|up to|at most|after|for|to|than|[≤≥<>])\s*)\d(?:[\d.,]*\d)?\s?`;
const UNIT = String.raw`(?:×(?!\d)|ms\b|µs\b|ns\b|s\b|M cycles|cycles\/s|MB\b|GB\b|KiB\b|MiB\b|GiB\b|MAC\/s|insn\/s|events\/s|%)(?!\s+pages\b)`;
const FIGURE = new RegExp(NUMBER + UNIT);
const DATED = /\b20\d\d-\d\d-\d\d\b/;
// A command may start with environment settings (`VTA_UPSTREAM_RTL=… npm run bench -- upstream`).
const COMMAND = /`(?:[A-Z][A-Z0-9_]*=\S*\s+)*(?:vta-trace |npm run |node |bash |npx |VTA_BENCH_|valgrind |perf )[^`]*`/;

interface Block {
  text: string;
  /** A list item or a table row run: dated by the paragraph that introduces its list or table. */
  item: boolean;
}

/** Blocks of a Markdown file: paragraphs, list items and tables, outside code fences. */
function markdownBlocks(text: string): Block[] {
  const out: Block[] = [];
  let current: string[] = [];
  let fenced = false;
  const flush = () => {
    if (current.length) out.push({ text: current.join('\n'), item: /^\s*(?:[-*]|\d+\.|\|)/.test(current[0]!) });
    current = [];
  };
  for (const line of text.split('\n')) {
    if (line.trimStart().startsWith('```')) {
      flush();
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    const isTable = line.trimStart().startsWith('|');
    const wasTable = current.length > 0 && current[0]!.trimStart().startsWith('|');
    if (!line.trim() || line.startsWith('#') || isTable !== wasTable || /^\s*[-*] /.test(line) || /^\s*\d+\. /.test(line)) flush();
    if (line.trim() && !line.startsWith('#')) current.push(line);
  }
  flush();
  return out;
}

export function blocks(text: string): string[] {
  return markdownBlocks(text).map((b) => b.text);
}

/** Blocks with a figure and no date-and-command in them, in the block before, or (for a list item) in its list's introduction. */
export function undatedFigures(text: string): string[] {
  const bs = markdownBlocks(text);
  return bs.flatMap((b, k) => {
    if (!FIGURE.test(b.text)) return [];
    let here = b.text + '\n' + (bs[k - 1]?.text ?? '');
    // A list's or table's introduction dates all its items: walk back over the run of items before this one.
    if (b.item) {
      let j = k - 1;
      while (j >= 0 && bs[j]!.item) j--;
      if (j >= 0) here += '\n' + bs[j]!.text;
    }
    return DATED.test(here) && COMMAND.test(here) ? [] : [b.text];
  });
}

const docs = execFileSync('git', ['ls-files', '*.md'], { cwd: repoRoot() })
  .toString()
  .split('\n')
  .filter((f) => f && !f.startsWith('fixtures/rtl-variants/'));

describe('figures in the docs', () => {
  it('finds figures and their dating (the check itself)', () => {
    expect(undatedFigures('The build takes 75 s.\n')).toHaveLength(1);
    expect(undatedFigures('The build took 75 s (2026-12-07, `bash ci/demo.sh`).\n')).toEqual([]);
    expect(undatedFigures('Measured 2026-12-07 with `npm run bench -- fsim`:\n\n| a | 3.0× |\n')).toEqual([]);
    expect(undatedFigures('```\n1.5 s\n```\n')).toEqual([]);
    expect(undatedFigures('Block 32 has 16 lanes.\n')).toEqual([]);
    // Settings and goals are not measurements.
    expect(undatedFigures('A line on stderr every 10 s; no HELLO within 10 s; `busy_timeout` 30 s.\n')).toEqual([]);
    expect(undatedFigures('Frames above the limit (default\n256 MiB) are refused; the agent waits ~1 µs.\n')).toEqual([]);
    expect(undatedFigures('New files have 8 KiB pages. The goal of 1.7× needs idle cores; goals ≤ 1.3× and ≥ 100×; it stays under 3×.\n')).toEqual([]);
    expect(undatedFigures('every 10 s, and then 20 s more.\n')).toHaveLength(1);
    expect(undatedFigures('Pages of 8 KiB made commits 5% dearer.\n')).toHaveLength(1);
    // A list's introduction dates every item of the list, not a later paragraph's list.
    const list = '- a: 2.1×;\n- b: 3.0×;\n- c: 4 ms.\n';
    expect(undatedFigures('Measured 2026-12-07 with `npm run bench -- tracer`:\n\n' + list)).toEqual([]);
    expect(undatedFigures('Measured 2026-12-07 with `npm run bench -- tracer`:\n\nThen:\n\n' + list)).toHaveLength(3);
    expect(undatedFigures('Measured somehow:\n\n' + list)).toHaveLength(3);
  });

  it.each(docs)('%s: every figure is dated with its command', (file) => {
    expect(undatedFigures(readFileSync(repoPath(file), 'utf8'))).toEqual([]);
  });
});
