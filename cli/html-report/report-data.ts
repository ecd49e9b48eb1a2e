/**
 * What the HTML report shows, gathered from a trace database (and a results database): the
 * divergence report of the runs, each run's per-module timeline, the roofline and perf's trends.
 */
import { VtaUserError } from '../../runtime/errors.js';
import type { DivergenceReport } from '../../tracer/diverge/divergence.js';
import { findFirstDivergence } from '../../tracer/diverge/engine.js';
import { renderTextReport } from '../../tracer/report/text-report.js';
import { roofOf, rooflinePoint, type Roof, type RooflinePoint } from '../../tracer/report/roofline.js';
import { runTimeline } from '../../tracer/report/timeline.js';
import type { TraceStore } from '../../tracer/store/trace-store.js';
import { openResultsDb } from '../../regression/results/open.js';
import { cycleTrend, type PerfTrend } from '../../regression/results/perf.js';
import { readingResults } from '../../regression/results/check-results.js';

export interface TimelineData {
  runId: number;
  target: string;
  /** Why the run has no bars (stored without retire events), else null. */
  missing: string | null;
  /** Module index per bar (0 load, 1 compute, 2 store), pc, start and end cycle: parallel arrays. */
  module: number[];
  pc: number[];
  start: number[];
  end: number[];
}

export interface ReportData {
  title: string;
  runs: { id: number; target: string; status: string; mode: string; cycles: number | null; config: string }[];
  divergence: { text: string; json: DivergenceReport } | null;
  /** The divergent instruction (program index), when the values diverge. */
  divergentPc: number | null;
  timelines: TimelineData[];
  roofline: { roof: Roof; points: RooflinePoint[] };
  perf: PerfTrend | null;
}

const MODULE_INDEX = { load: 0, compute: 1, store: 2 } as const;

export async function gatherReport(store: TraceStore, runIds: number[], opts: { report?: DivergenceReport; results?: string; dbFile: string }): Promise<ReportData> {
  const runs = runIds.map((id) => store.run(id));
  const hashes = new Set(runs.map((r) => r.bundleHash));
  if (hashes.size > 1) throw new VtaUserError(`runs ${runIds.join(', ')} ran different bundles: a report compares runs of one program`);
  const params = store.bundleParams(runs[0]!.bundleHash);
  let report = opts.report;
  if (!report && runs.length > 1) {
    const stored = store.divergenceReportOf(runIds);
    report = stored ? (JSON.parse(stored) as DivergenceReport) : await findFirstDivergence(store, runIds, { dbFile: opts.dbFile });
  }
  const timelines = runs.map((r): TimelineData => {
    const noRetires = r.mode === 'digest' || r.mode === 'outputs';
    const t = noRetires ? undefined : runTimeline(store, params, r.id);
    return {
      runId: r.id,
      target: r.target,
      missing: noRetires ? `run ${r.id} was stored in mode ${r.mode}, without retire events: record it with --mode insn (or sram, full) for its timeline` : null,
      module: t ? t.module.map((m) => MODULE_INDEX[m]) : [],
      pc: t ? Array.from(t.pc) : [],
      start: t ? Array.from(t.start) : [],
      end: t ? Array.from(t.end) : [],
    };
  });
  const points = runs.flatMap((r) => rooflinePoint(params, r) ?? []);
  let perf: PerfTrend | null = null;
  if (opts.results) {
    const db = openResultsDb(opts.results, { readonly: true });
    try {
      perf = readingResults(opts.results, () => cycleTrend(db, { thresholdPct: 5 }));
    } finally {
      db.close();
    }
  }
  const w = store.bundle(runs[0]!.bundleHash).workload;
  return {
    title: `vta-trace report: ${w?.name ?? runs[0]!.bundleHash} — ${runs.map((r) => `${r.target} (run ${r.id})`).join(' vs ')}`,
    runs: runs.map((r) => ({ id: r.id, target: r.target, status: r.status, mode: r.mode, cycles: r.counters?.cycles ?? null, config: r.configName ?? r.configHash })),
    divergence: report ? { text: renderTextReport(report), json: report } : null,
    divergentPc: report?.values === 'diverge' ? (report.first?.pc ?? null) : null,
    timelines,
    roofline: { roof: roofOf(params), points },
    perf,
  };
}
