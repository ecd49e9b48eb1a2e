/** Live progress (when stderr is a terminal) and a summary with failures grouped by signature. */
import type { CaseResult } from '../case-result.js';
import { buckets } from '../runner.js';
import type { Reporter } from './reporter.js';

export class ConsoleReporter implements Reporter {
  private total = 0;
  private done = 0;
  private failed = 0;
  private readonly t0 = Date.now();

  constructor(private readonly out: (s: string) => void = (s) => process.stdout.write(s)) {}

  onStart(total: number): void {
    this.total = total;
  }

  onCase(r: CaseResult): void {
    this.done++;
    if (r.verdict !== 'pass') this.failed++;
    if (!process.stderr.isTTY) return;
    const elapsed = (Date.now() - this.t0) / 1000;
    const eta = this.done ? (elapsed / this.done) * (this.total - this.done) : 0;
    process.stderr.write(`\r${this.done}/${this.total} done, ${this.failed} failed, ETA ${eta.toFixed(0)} s   `);
  }

  onFinish(results: CaseResult[], seconds: number): void {
    if (process.stderr.isTTY) process.stderr.write('\n');
    const passed = results.filter((r) => r.verdict === 'pass').length;
    const groups = buckets(results);
    for (const [signature, cases] of groups) {
      this.out(`FAIL [${signature}] ${cases.length} case(s)\n`);
      for (const c of cases.slice(0, 5)) {
        const where = c.divergence ? ` — first divergence at #${c.divergence.pc} ${c.divergence.stream ?? ''}: ${c.divergence.disasm}` : '';
        this.out(`  ${c.id}: ${c.reason ?? c.verdict}${where}\n`);
      }
      if (cases.length > 5) this.out(`  … and ${cases.length - 5} more\n`);
    }
    this.out(`${results.length} cases: ${passed} passed, ${results.length - passed} failed in ${groups.size} bucket(s), ${seconds.toFixed(1)} s\n`);
  }
}
