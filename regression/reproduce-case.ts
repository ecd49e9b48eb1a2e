/**
 * The command that reproduces one failing case, as a user types it: the case id is a workload
 * spelling every command accepts (runtime/workloads/workload-spec.ts), so the command builds the
 * very program the case ran. When the divergence re-run found an instruction, the tracer's own
 * reproduce line (full detail around it) is used instead.
 */
import { shellQuote as quote } from '../tracer/diverge/reproduce.js';
import type { CaseSpec } from './suites.js';

export function reproduceCase(c: CaseSpec, traced?: string): string {
  if (traced) return traced;
  if (c.targets.length === 1) return ['vta-trace', 'run', '--target', quote(c.targets[0]!), '--workload', quote(c.id)].join(' ');
  return ['vta-trace', 'diff', ...c.targets.map(quote), '--workload', quote(c.id)].join(' ');
}
