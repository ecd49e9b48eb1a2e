/**
 * Live progress (cases done / failed / ETA, one rewritten line, only when the output is a
 * terminal), then a summary: failures grouped by signature, a table per configuration, the total.
 */
import type { CaseResult } from '../case-result.js';
import { buckets } from '../runner.js';
import type { Reporter } from './reporter.js';

export interface ConsoleReporterOptions {
  out?: (s: string) => void;
  /** Show the live progress line (default: stdout is a terminal). */
  progress?: boolean;
}

/** The configuration a case ran on: the part of its id after "@". */
const configOf = (id: string) => id.slice(id.lastIndexOf('@') + 1) || '—';

export function summaryTable(results: CaseResult[]): string[] {
  const rows = new Map<string, { cases: number; passed: number; failed: number; errors: number; seconds: number }>();
  for (const r of results) {
    const k = configOf(r.id);
    const row = rows.get(k) ?? { cases: 0, passed: 0, failed: 0, errors: 0, seconds: 0 };
    row.cases++;
    if (r.verdict === 'pass') row.passed++;
    else if (r.verdict === 'fail') row.failed++;
    else row.errors++;
    row.seconds += r.seconds;
    rows.set(k, row);
  }
  const header = ['config', 'cases', 'passed', 'failed', 'errors', 'case s'];
  const body = [...rows].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, String(v.cases), String(v.passed), String(v.failed), String(v.errors), v.seconds.toFixed(1)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (r: string[]) => '  ' + r.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  return [line(header), ...body.map(line)];
}

/**
 * Per board of a target spread over the boards file (fpga:*): the runs it took, how many ended
 * ok, and whether it was lost; e.g. "fpga:* boards: fpga:a 1 run (0 ok, lost), fpga:b 7 runs (7 ok)".
 */
export function boardLines(results: CaseResult[]): string[] {
  const per = new Map<string, Map<string, { runs: number; ok: number; lost: boolean }>>();
  for (const r of results) {
    for (const o of r.outcomes) {
      if (o.board === undefined) continue;
      const boards = per.get(o.target) ?? new Map();
      per.set(o.target, boards);
      const name = o.board || '(none left)';
      const b = boards.get(name) ?? { runs: 0, ok: 0, lost: false };
      b.runs++;
      if (o.status === 'ok') b.ok++;
      if (r.signature === 'board lost' && o.status !== 'ok' && o.board) b.lost = true;
      boards.set(name, b);
    }
  }
  return [...per].map(
    ([target, boards]) =>
      `${target} boards: ${[...boards]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, b]) => `${name} ${b.runs} run${b.runs === 1 ? '' : 's'} (${b.ok} ok${b.lost ? ', lost' : ''})`)
        .join(', ')}`,
  );
}

export class ConsoleReporter implements Reporter {
  private total = 0;
  private done = 0;
  private failed = 0;
  private t0 = Date.now();
  private readonly out: (s: string) => void;
  private readonly progress: boolean;

  constructor(opts: ConsoleReporterOptions = {}) {
    this.out = opts.out ?? ((s) => process.stdout.write(s));
    this.progress = opts.progress ?? process.stdout.isTTY === true;
  }

  onStart(total: number): void {
    this.total = total;
    this.t0 = Date.now();
  }

  onCase(r: CaseResult): void {
    this.done++;
    if (r.verdict !== 'pass') this.failed++;
    if (!this.progress) return;
    const elapsed = (Date.now() - this.t0) / 1000;
    const eta = (elapsed / this.done) * (this.total - this.done);
    this.out(`\r${this.done}/${this.total} done, ${this.failed} failed, ETA ${eta.toFixed(0)} s\x1b[K`);
  }

  onFinish(results: CaseResult[], seconds: number): void {
    if (this.progress) this.out('\r\x1b[K');
    const passed = results.filter((r) => r.verdict === 'pass').length;
    const groups = buckets(results);
    for (const [signature, cases] of groups) {
      this.out(`FAIL [${signature}] ${cases.length} case(s)\n`);
      for (const c of cases.slice(0, 5)) {
        const where = c.divergence ? ` — first divergence at #${c.divergence.pc} ${c.divergence.stream ?? ''}: ${c.divergence.disasm}` : '';
        this.out(`  ${c.id}: ${c.reason ?? c.verdict}${where}\n`);
        for (const w of c.waves ?? []) this.out(`    waveform ${w.target}: ${w.fst} (divergent event at cycle ${w.cycle} = time ${w.time}); gtkwave -a ${w.gtkw}\n`);
      }
      if (cases.length > 5) this.out(`  … and ${cases.length - 5} more\n`);
    }
    if (results.length) this.out(summaryTable(results).join('\n') + '\n');
    for (const l of boardLines(results)) this.out(`${l}\n`);
    this.out(`${results.length} cases: ${passed} passed, ${results.length - passed} failed in ${groups.size} bucket(s), ${seconds.toFixed(1)} s\n`);
  }
}
