/**
 * `vta-trace show RUN [--stream S] [--insn A:B] [--db FILE]`: one stored run, its counters and
 * its events one per line (the same text form the reports use).
 */
import type { Command } from 'commander';
import { flatten } from '../../tracer/diverge/window-events.js';
import { STREAMS, type Stream } from '../../tracer/events.js';
import { TraceSpecError } from '../../tracer/errors.js';
import { formatEvent } from '../../tracer/report/event-line.js';
import { FULL_WINDOW, parseWindow } from '../../tracer/spec.js';
import { TraceStore } from '../../tracer/store/trace-store.js';
import { DEFAULT_DB } from './diff.js';
import { intArg } from '../int-option.js';

interface ShowOptions {
  db: string;
  stream?: string;
  insn?: string;
  limit: number;
}

function parseStreams(text: string): Stream[] {
  return text.split(',').map((s) => {
    const name = s.trim();
    // A prefix names a family: "sram" = every sram.* stream, "insn" = the three retire streams.
    const matches = STREAMS.filter((x) => x === name || x.startsWith(`${name}.`));
    if (!matches.length) throw new TraceSpecError(`unknown stream "${name}": expected one of ${STREAMS.join(', ')} (or a prefix such as sram)`);
    return matches;
  }).flat();
}

export function registerShow(program: Command): void {
  program
    .command('show')
    .description('print a stored run and its events')
    .argument('<run>', 'run id (or last, last-1, …)')
    .option('--db <file>', 'trace database', DEFAULT_DB)
    .option('--stream <list>', 'only these streams (comma-separated; a prefix like sram selects a family)')
    .option('--insn <A:B>', 'only instructions A (inclusive) to B (exclusive)')
    .option('--limit <n>', 'print at most n events (0 = all)', intArg('--limit', 0, 2 ** 31 - 1), 1000)
    .action((runText: string, o: ShowOptions) => {
      const store = TraceStore.open(o.db, { mustExist: true, readonly: true });
      try {
        const run = store.resolveRun(runText);
        const params = store.bundleParams(run.bundleHash);
        const win = o.insn ? parseWindow(o.insn, 'instruction') : FULL_WINDOW;
        const limit = o.limit;
        const out: string[] = [
          `run ${run.id}  ${run.target}  ${run.status}${run.message ? ` (${run.message})` : ''}`,
          `  trace ${run.spec}   bundle ${run.bundleHash}   config ${run.configName ?? run.configHash}   commit ${run.gitCommit ?? '—'}`,
          `  ${run.insnCount} instructions, ${run.eventCount} events stored, started ${run.startedAt}${run.finishedAt ? `, finished ${run.finishedAt}` : ''}`,
        ];
        if (run.counters) out.push(`  counters ${JSON.stringify(run.counters)}`);
        if (run.boardSource) {
          const from = run.boardSource === 'trace-unit' ? "the on-board trace unit's ring" : "the tracer, from the run's events";
          out.push(`  board records ${store.boardRecords(run.id).length} (from ${from})${run.hostEvents ? '' : '; the target reported no events'}`);
        }
        for (const b of run.blocked ?? []) out.push(`  blocked: instruction #${b.pc} (${b.module}) waiting on queue ${b.queue}`);
        const groups = store.eventGroups(run.id, { pcFrom: win.from, pcTo: win.to, streams: o.stream ? parseStreams(o.stream) : undefined });
        // Events are made one group at a time and only up to the limit: the rest are counted.
        const wanted = limit === 0 ? Infinity : limit;
        let total = 0;
        let printed = 0;
        for (const g of groups) {
          total += g.addrs.length;
          if (printed >= wanted) continue;
          for (const e of flatten([g]).slice(0, wanted - printed)) out.push(`${formatEvent(params, e)}  (cycle ${e.cycle})`);
          printed = Math.min(total, wanted);
        }
        if (printed < total) out.push(`… ${total - printed} more (use --limit 0 or narrow with --insn/--stream)`);
        if (total === 0) out.push(run.mode === 'digest' || run.mode === 'outputs' ? `  (no events stored: mode ${run.mode})` : '  (no events match)');
        process.stdout.write(out.join('\n') + '\n');
      } finally {
        store.close();
      }
    });
}
