/** The text `vta-trace perf` prints: the commits, then one row of cycle counts per series. */
import type { PerfChange, PerfSeries, PerfTrend } from './perf.js';

const signed = (p: number) => (p === Infinity ? '+∞' : `${p >= 0 ? '+' : ''}${p.toFixed(1)}`);

export function describeChange(c: PerfChange): string {
  const board = c.boards ? `, and from board ${c.boards.from} to ${c.boards.to}` : '';
  return `${c.caseId} ${c.target}: ${c.before} → ${c.after} cycles (${signed(c.percent)}%) from ${c.from.label} to ${c.to.label}${board}`;
}

/**
 * Every series when `all`, else only the series with a flagged change. A flagged value carries
 * its step in percent, e.g. "620 (+24.0%)".
 */
export function perfText(trend: PerfTrend, opts: { thresholdPct: number; all: boolean }): string {
  const lines: string[] = [];
  const { commits } = trend;
  if (commits.length === 0) return 'no ok runs with cycle counts in the results database (or none match --workload)\n';
  lines.push(`${commits.length} commit(s), oldest first:`);
  for (const c of commits) lines.push(`  ${c.label.padEnd(11)} ${c.time}`);
  const shown = opts.all ? trend.series : trend.series.filter((s) => s.changes.length > 0);
  if (shown.length) {
    const cells = shown.map((s) => [s.caseId, s.target, ...valueCells(s, commits.map((c) => c.label))]);
    const header = ['case', 'target', ...commits.map((c) => c.label)];
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
    const row = (r: string[]) => '  ' + r.map((v, i) => (i < 2 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
    lines.push('', row(header), ...cells.map(row));
  }
  lines.push('');
  const n = trend.changes.length;
  lines.push(`${trend.series.length} series (case × target), ${n} change(s) beyond ±${opts.thresholdPct}% between consecutive commits`);
  for (const c of trend.changes) lines.push(`  ${describeChange(c)}`);
  return lines.join('\n') + '\n';
}

function valueCells(s: PerfSeries, labels: string[]): string[] {
  const flaggedAt = new Map(s.changes.map((c) => [c.to.label, c.percent]));
  return s.cycles.map((v, i) => {
    if (v === null) return '—';
    const p = flaggedAt.get(labels[i]!);
    return p === undefined ? String(v) : `${v} (${signed(p)}%)`;
  });
}
