/**
 * `vta-trace report RUN… -o FILE.html [--results DB] [--db FILE]`: one self-contained HTML file
 * (docs/html-report.md) with the runs' divergence report, per-module timeline, roofline and,
 * given a results database, perf's cycle trends.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { VtaUserError } from '../../runtime/errors.js';
import type { DivergenceReport } from '../../tracer/diverge/divergence.js';
import { TraceStore } from '../../tracer/store/trace-store.js';
import { gatherReport } from '../html-report/report-data.js';
import { renderHtmlReport } from '../html-report/page.js';
import { DEFAULT_DB } from './diff.js';

interface ReportOptions {
  output?: string;
  results?: string;
  db: string;
}

/** Write the HTML report of stored runs; `report` is the divergence report when the caller has it (diff --html). */
export async function writeHtmlReport(store: TraceStore, runIds: number[], file: string, opts: { dbFile: string; results?: string; report?: DivergenceReport }): Promise<string> {
  const data = await gatherReport(store, runIds, opts);
  const html = renderHtmlReport(data);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, html);
  } catch (e) {
    throw new VtaUserError(`cannot write the HTML report ${file}: ${(e as Error).message}`);
  }
  const bars = data.timelines.map((t) => (t.missing ? `run ${t.runId}: no timeline (mode digest/outputs)` : `run ${t.runId} ${t.pc.length} bars`)).join(', ');
  return `wrote ${file} (${(html.length / 1e6).toFixed(1)} MB): ${bars}`;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write an HTML report of stored runs: divergence, per-module timeline, roofline, cycle trends')
    .argument('<runs...>', 'run ids (or last, last-1, …) of one program')
    .option('-o, --output <file>', 'the HTML file to write')
    .option('--results <file>', 'a results database: add perf\'s cycle trends per case across commits')
    .option('--db <file>', 'trace database', DEFAULT_DB)
    .action(async (items: string[], o: ReportOptions) => {
      if (!o.output) throw new VtaUserError('report needs -o FILE.html');
      const store = TraceStore.open(o.db, { mustExist: true, readonly: true });
      try {
        const runIds = items.map((t) => store.resolveRun(t).id);
        process.stdout.write((await writeHtmlReport(store, runIds, o.output, { dbFile: o.db, results: o.results })) + '\n');
      } finally {
        store.close();
      }
    });
}
