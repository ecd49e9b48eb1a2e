/** `vta-trace runs [--db FILE] [--json]`: the runs recorded in a trace database, one per line. */
import type { Command } from 'commander';
import { TraceStore, type RunRow } from '../../tracer/store/trace-store.js';
import { DEFAULT_DB } from './diff.js';

function table(runs: RunRow[]): string {
  const header = ['id', 'target', 'status', 'trace', 'insns', 'events', 'cycles', 'config', 'bundle', 'commit', 'started'];
  const rows = runs.map((r) => [
    String(r.id),
    r.target,
    r.status,
    r.spec,
    String(r.insnCount),
    String(r.eventCount),
    r.counters ? String(r.counters.cycles) : '—',
    r.configName ?? r.configHash,
    r.bundleHash.slice(0, 12),
    r.gitCommit?.slice(0, 10) ?? '—',
    r.startedAt.replace('T', ' ').slice(0, 19),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .description('list the runs stored in a trace database')
    .option('--db <file>', 'trace database', DEFAULT_DB)
    .option('--json', 'print as JSON')
    .action((o: { db: string; json?: boolean }) => {
      const store = TraceStore.open(o.db, { mustExist: true, readonly: true });
      try {
        const runs = store.runs();
        if (o.json) process.stdout.write(JSON.stringify(runs, null, 2) + '\n');
        else process.stdout.write(runs.length ? table(runs) : `no runs in ${o.db}\n`);
      } finally {
        store.close();
      }
    });
}
