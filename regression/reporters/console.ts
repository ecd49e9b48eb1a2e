/**
 * Live progress (cases done / failed / ETA, one rewritten line, only when the output is a
 * terminal), then a summary: failures grouped by signature, each with the command that reproduces
 * it, a table per configuration, the total. When the output is not a terminal (a CI log),
 * ProgressLog says how far the suite is on stderr instead.
 */
import type { CaseResult } from '../case-result.js';
import { buckets } from '../runner.js';
import type { FinishInfo, Reporter } from './reporter.js';

export interface ConsoleReporterOptions {
  out?: (s: string) => void;
  /** Show the live progress line (default: stdout is a terminal). */
  progress?: boolean;
}

/** Passed, failed and error counts, as the summary line and the table both count them. */
export function tally(results: CaseResult[]): { passed: number; known: number; failed: number; errors: number } {
  const count = (v: CaseResult['verdict']) => results.filter((r) => r.verdict === v).length;
  return { passed: count('pass'), known: count('known'), failed: count('fail'), errors: count('error') };
}

/** The configuration a case ran on: the part of its id after "@". */
const configOf = (id: string) => id.slice(id.lastIndexOf('@') + 1) || '—';

export function summaryTable(results: CaseResult[]): string[] {
  const rows = new Map<string, { cases: number; passed: number; known: number; failed: number; errors: number; seconds: number }>();
  for (const r of results) {
    const k = configOf(r.id);
    const row = rows.get(k) ?? { cases: 0, passed: 0, known: 0, failed: 0, errors: 0, seconds: 0 };
    row.cases++;
    if (r.verdict === 'pass') row.passed++;
    else if (r.verdict === 'known') row.known++;
    else if (r.verdict === 'fail') row.failed++;
    else row.errors++;
    row.seconds += r.seconds;
    rows.set(k, row);
  }
  // The known column only when some case is a known difference: tables of designs without any stay as they were.
  const anyKnown = [...rows.values()].some((v) => v.known > 0);
  const header = ['config', 'cases', 'passed', ...(anyKnown ? ['known'] : []), 'failed', 'errors', 'case s'];
  const body = [...rows]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => [k, String(v.cases), String(v.passed), ...(anyKnown ? [String(v.known)] : []), String(v.failed), String(v.errors), v.seconds.toFixed(1)]);
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
    if (r.verdict !== 'pass' && r.verdict !== 'known') this.failed++;
    if (!this.progress) return;
    const elapsed = (Date.now() - this.t0) / 1000;
    const eta = (elapsed / this.done) * (this.total - this.done);
    this.out(`\r${this.done}/${this.total} done, ${this.failed} failed, ETA ${eta.toFixed(0)} s\x1b[K`);
  }

  onFinish(results: CaseResult[], seconds: number, info?: FinishInfo): void {
    if (this.progress) this.out('\r\x1b[K');
    const { passed, failed, errors } = tally(results);
    const known = results.filter((r) => r.verdict === 'known');
    const groups = buckets(results);
    // Known differences, one line per entry: counted apart from failures.
    const byEntry = new Map<string, CaseResult[]>();
    for (const r of known) byEntry.set(r.known?.id ?? '?', [...(byEntry.get(r.known?.id ?? '?') ?? []), r]);
    for (const [id, cases] of byEntry) this.out(`KNOWN [${id}] ${cases.length} case(s): ${cases[0]!.known?.reason ?? ''}\n`);
    for (const [signature, cases] of groups) {
      this.out(`${cases[0]!.verdict === 'error' ? 'ERROR' : 'FAIL'} [${signature}] ${cases.length} case(s)\n`);
      for (const c of cases.slice(0, 5)) {
        const where = c.divergence ? ` — first divergence at #${c.divergence.pc} ${c.divergence.stream ?? ''}: ${c.divergence.disasm}` : '';
        this.out(`  ${c.id}: ${c.reason ?? c.verdict}${where}\n`);
        if (c.reproduce) this.out(`    reproduce: ${c.reproduce}\n`);
        if (c.shrunk) this.out('file' in c.shrunk ? `    shrunk: ${c.shrunk.file} (${c.shrunk.before} → ${c.shrunk.after} instructions): ${c.shrunk.reproduce}\n` : `    not shrunk: ${c.shrunk.error}\n`);
        for (const w of c.waves ?? []) this.out(`    waveform ${w.target}: ${w.fst} (divergent event at cycle ${w.cycle} = time ${w.time}); gtkwave -a ${w.gtkw}\n`);
      }
      if (cases.length > 5) this.out(`  … and ${cases.length - 5} more (every reproduce line is in --json and --junit)\n`);
    }
    if (results.length) this.out(summaryTable(results).join('\n') + '\n');
    for (const l of boardLines(results)) this.out(`${l}\n`);
    if (info?.interrupted) this.out(`interrupted: ${results.length} of ${info.total} cases finished; the rest did not run\n`);
    const knownPart = known.length ? `${known.length} known difference(s), ` : '';
    this.out(`${results.length} cases: ${passed} passed, ${knownPart}${failed} failed, ${errors} error${errors === 1 ? '' : 's'} in ${groups.size} bucket(s), ${seconds.toFixed(1)} s\n`);
  }
}

/**
 * Progress for a log that is not a terminal: a line on stderr at most every `everyMs` (10 s) or
 * each tenth of the suite, whichever comes first, so a CI log shows the suite moving.
 */
export class ProgressLog implements Reporter {
  private total = 0;
  private done = 0;
  private failed = 0;
  private t0 = Date.now();
  private lastAt = 0;
  private lastDone = 0;

  constructor(
    private readonly out: (s: string) => void = (s) => process.stderr.write(s),
    private readonly everyMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  onStart(total: number): void {
    this.total = total;
    this.t0 = this.lastAt = this.now();
    this.out(`regress: ${total} case(s) to run\n`);
  }

  onCase(r: CaseResult): void {
    this.done++;
    if (r.verdict !== 'pass' && r.verdict !== 'known') this.failed++;
    const t = this.now();
    const tenth = Math.max(1, Math.ceil(this.total / 10));
    if (t - this.lastAt < this.everyMs && this.done - this.lastDone < tenth && this.done < this.total) return;
    this.lastAt = t;
    this.lastDone = this.done;
    const elapsed = (t - this.t0) / 1000;
    const eta = (elapsed / this.done) * (this.total - this.done);
    this.out(`regress: ${this.done}/${this.total} done, ${this.failed} failed, ${elapsed.toFixed(0)} s elapsed, ETA ${eta.toFixed(0)} s\n`);
  }
}
