/**
 * `vta-trace export RUN… --vcd FILE [--insn A:B] [--db FILE]`: the architectural trace of one or
 * more stored runs as one VCD file (tracer/report/vcd.ts), every run on the same cycle axis, to
 * open fsim and tsim side by side in a waveform viewer.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { VtaUserError } from '../../runtime/errors.js';
import { flatten } from '../../tracer/diverge/window-events.js';
import { renderVcd } from '../../tracer/report/vcd.js';
import { FULL_WINDOW, parseWindow } from '../../tracer/spec.js';
import { TraceStore } from '../../tracer/store/trace-store.js';
import { DEFAULT_DB } from './diff.js';

interface ExportOptions {
  db: string;
  vcd?: string;
  insn?: string;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write stored runs as a VCD waveform: per module pc and retire, per buffer write index and data')
    .argument('<runs...>', 'run ids (or last, last-1, …)')
    .option('--vcd <file>', 'the VCD file to write')
    .option('--insn <A:B>', 'only instructions A (inclusive) to B (exclusive)')
    .option('--db <file>', 'trace database', DEFAULT_DB)
    .action((items: string[], o: ExportOptions) => {
      if (!o.vcd) throw new VtaUserError('export needs --vcd FILE (the only format so far)');
      const store = TraceStore.open(o.db, { mustExist: true, readonly: true });
      try {
        const win = o.insn ? parseWindow(o.insn, 'instruction') : FULL_WINDOW;
        const runs = items.map((t) => store.resolveRun(t)).map((run) => {
          if (run.mode === 'digest' || run.mode === 'outputs') {
            throw new VtaUserError(`run ${run.id} (${run.target}) was stored in mode ${run.mode}, without events: record it with --mode sram or full to export it`);
          }
          return { id: run.id, target: run.target, events: flatten(store.eventGroups(run.id, { pcFrom: win.from, pcTo: win.to })) };
        });
        const { text, ticksPerCycle } = renderVcd(runs, 'vta-trace export');
        writeFileSync(o.vcd, text);
        process.stdout.write(`wrote ${o.vcd}: ${runs.map((r) => `run ${r.id} (${r.target}) ${r.events.length} events`).join(', ')}; cycle c at time c*${ticksPerCycle} (one cycle = 1 ns)\n`);
      } finally {
        store.close();
      }
    });
}
