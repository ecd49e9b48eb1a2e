/**
 * `vta-trace show RUN [--stream S] [--insn A:B] [--json | --csv] [--db FILE]`: one stored run, its
 * counters and its events one per line (the same text form the reports use), each retire with its
 * instruction disassembled and its source-map entry. A run stored without events (digest or
 * outputs mode) gets the command that records them.
 */
import type { Command } from 'commander';
import { VtaUserError } from '../../runtime/errors.js';
import { flatten, type WindowEvent } from '../../tracer/diverge/window-events.js';
import { STREAMS, type Stream } from '../../runtime/contract/events.js';
import { TraceSpecError } from '../../tracer/errors.js';
import { csvLines, eventRows, rowLine } from '../../tracer/report/event-rows.js';
import { FULL_WINDOW, parseWindow } from '../../tracer/spec.js';
import type { RunRow, TraceStore as Store } from '../../tracer/store/trace-store.js';
import { TraceStore } from '../../tracer/store/trace-store.js';
import { DEFAULT_DB } from './diff.js';
import { intArg } from '../int-option.js';

interface ShowOptions {
  db: string;
  stream?: string;
  insn?: string;
  limit: number;
  json?: boolean;
  csv?: boolean;
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

/**
 * How to get the events of a run stored without them: the stored divergence's reproduction
 * command (it records the divergent window at full detail), else the run's workload again at
 * mode sram beside the reference target.
 */
function recordCommand(store: Store, run: RunRow, db: string): string {
  const stored = store.divergenceReproduce(run.id);
  if (stored) return stored;
  const b = store.bundle(run.bundleHash);
  const w = b.workload;
  const what = w?.name ? `--workload ${w.name}${w.seed !== undefined ? ` --seed ${w.seed}` : ''}` : b.bundlePath ? `--bundle ${b.bundlePath}` : '--workload <name>';
  const other = run.target === 'fsim' ? '<target>' : 'fsim';
  return `vta-trace diff ${other} ${run.target} ${what}${run.configName ? ` --config ${run.configName}` : ''} --mode sram --db ${db}`;
}

export function registerShow(program: Command): void {
  program
    .command('show')
    .description('print a stored run and its events (retires disassembled, with their source-map entries)')
    .argument('<run>', 'run id (or last, last-1, …)')
    .option('--db <file>', 'trace database', DEFAULT_DB)
    .option('--stream <list>', 'only these streams (comma-separated; a prefix like sram selects a family)')
    .option('--insn <A:B>', 'only instructions A (inclusive) to B (exclusive)')
    .option('--limit <n>', 'print at most n events (0 = all)', intArg('--limit', 0, 2 ** 31 - 1), 1000)
    .option('--json', 'print the run and its events as one JSON object')
    .option('--csv', 'print the events as CSV: pc,stream,addr,cycle,disasm,source,lanes')
    .action((runText: string, o: ShowOptions) => {
      if (o.json && o.csv) throw new VtaUserError('give either --json or --csv, not both');
      const store = TraceStore.open(o.db, { mustExist: true, readonly: true });
      try {
        const run = store.resolveRun(runText);
        const params = store.bundleParams(run.bundleHash);
        const win = o.insn ? parseWindow(o.insn, 'instruction') : FULL_WINDOW;
        // Events are made one group at a time and only up to the limit: the rest are counted.
        const wanted = o.limit === 0 ? Infinity : o.limit;
        const shown: WindowEvent[] = [];
        let total = 0;
        for (const g of store.eventGroups(run.id, { pcFrom: win.from, pcTo: win.to, streams: o.stream ? parseStreams(o.stream) : undefined })) {
          total += g.addrs.length;
          if (shown.length < wanted) shown.push(...flatten([g]).slice(0, wanted - shown.length));
        }
        const rows = eventRows(params, shown, (pc) => store.sourceMapEntry(run.bundleHash, pc));
        const noEvents = run.mode === 'digest' || run.mode === 'outputs';
        const record = noEvents ? recordCommand(store, run, o.db) : undefined;
        if (o.csv) {
          process.stdout.write(csvLines(rows).join('\n') + '\n');
          if (record && !total) process.stderr.write(`no events stored (mode ${run.mode}); to record them: ${record}\n`);
          return;
        }
        if (o.json) {
          const doc = { run: { id: run.id, target: run.target, status: run.status, message: run.message, mode: run.mode, spec: run.spec, bundle: run.bundleHash, insnCount: run.insnCount, counters: run.counters }, events: rows, more: total - shown.length, record: record ?? null };
          process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
          return;
        }
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
        shown.forEach((e, i) => out.push(rowLine(params, e, rows[i]!)));
        if (shown.length < total) out.push(`… ${total - shown.length} more (use --limit 0 or narrow with --insn/--stream)`);
        if (total === 0) out.push(record ? `  (no events stored: mode ${run.mode}) — to record them: ${record}` : '  (no events match)');
        process.stdout.write(out.join('\n') + '\n');
      } finally {
        store.close();
      }
    });
}
