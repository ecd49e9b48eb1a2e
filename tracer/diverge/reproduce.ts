/**
 * The exact command that reproduces a divergence: re-run the same targets on the same bundle
 * (by workload and seed, or bundle file) at full detail, narrowed to a window around the
 * divergent instruction; falling back to re-comparing the stored runs.
 */
import { workloadSpecText } from '../../runtime/workloads/workload-spec.js';
import type { BundleInfo } from '../store/bundle-record.js';
import type { RunRow } from '../store/trace-store.js';
import type { FirstDivergence } from './divergence.js';

/** A word as a POSIX shell reads it back: bare when it is plain, else in single quotes. */
export const shellQuote = (s: string) => (/^[\w.,:/+=@-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export function reproduceCommand(runs: RunRow[], bundle: BundleInfo, first: FirstDivergence | null, dbFile?: string): string {
  const parts = ['vta-trace', 'diff', ...runs.map((r) => shellQuote(r.target))];
  const w = bundle.workload;
  if (bundle.bundlePath) parts.push('--bundle', shellQuote(bundle.bundlePath));
  else if (w?.name) {
    parts.push('--workload', shellQuote(workloadSpecText(w.name, w.params)));
    if (w.seed !== undefined) parts.push('--seed', String(w.seed));
  } else {
    const stored = ['vta-trace', 'diff', ...(dbFile ? ['--db', shellQuote(dbFile)] : []), ...runs.map((r) => String(r.id))];
    return stored.join(' ');
  }
  if (runs[0]!.configName) parts.push('--config', shellQuote(runs[0]!.configName));
  parts.push('--mode', 'sram');
  if (first) parts.push('--insn', `${Math.max(0, first.pc - 8)}:${first.pc + 1}`);
  return parts.join(' ');
}
