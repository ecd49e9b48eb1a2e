/**
 * `vta-trace mutate` (main side): select mutants of our RTL, build the one instrumented design per
 * configuration, run the baseline (fsim and the unmutated design on every case, which must agree
 * and whose times order the cases cheapest first), then score each mutant not yet scored for
 * these sources and suite on a piscina pool, recording each result as it arrives.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { VtaUserError } from '../../runtime/errors.js';
import { repoPath } from '../../runtime/repo.js';
import { allMutants, type MutantSet, mutationCacheDir, ownRtlFiles, patchOf, selectMutants, sourcesHash, writeInstrumentedDesign } from '../../targets/tsim/mutation/rtl-mutants.js';
import type { NumberedMutant } from '../../targets/tsim/mutation/instrument.js';
import { TsimTarget } from '../../targets/tsim/target.js';
import { openResultsDb } from '../results/open.js';
import { suiteCases, type CaseSpec, type SuiteName } from '../suites.js';
import { matchReview, type EquivalenceEntry } from './equivalence-review.js';
import { readBaseline, readScored, writeBaseline, writeScored, type ScoredRow } from './mutation-db.js';
import type { BaselineResult, MutantResult, MutationTask, ScoredCase } from './tasks.js';

export class MutateError extends VtaUserError {
  override name = 'MutateError';
}

export interface MutateOptions {
  suite: SuiteName;
  /** How many mutants to select (spread over the modules). */
  count: number;
  seed: number;
  /** Only cases whose id matches. */
  filter?: RegExp;
  jobs: number;
  resultsFile: string;
  /** Survivors are run again on this (larger) suite's cases; those it does not kill either are "possibly equivalent". */
  equivalenceSuite?: SuiteName;
  /** Progress lines (stderr). */
  log?: (line: string) => void;
  signal?: AbortSignal;
  workerFile?: string;
  /** Instead of the seeded selection: these mutants (tests name hand-made ones). */
  select?: (set: MutantSet) => NumberedMutant[];
  /** Score only the selected mutants with these keys (the design still holds the whole selection, so its build is reused). */
  only?: Set<string>;
  /** Score only the selected mutants with these numbers (`--only`); an unknown number is an error. */
  onlyIds?: Set<number>;
  /** Instead of the suite's cases (to try candidate cases on survivors before adding them to a suite). */
  cases?: CaseSpec[];
  /** Mutants judged equivalent by a person (equivalence-review.ts): a survivor among them leaves the score's denominator. */
  equivalenceReview?: EquivalenceEntry[];
}

export interface ScoredMutant extends ScoredRow {
  id: number;
  patch: string;
  /** Scored by an earlier run (read from the database). */
  cached: boolean;
  possiblyEquivalent?: boolean;
  /** Why a survivor is equivalent: the equivalence review's reason, or Yosys's proof (the Yosys path's --check-equivalence). */
  equivalent?: string;
  /** Killed although the review calls it equivalent: the review is wrong (the reason it gave). */
  reviewContradicted?: string;
}

export interface MutationSummary {
  total: number;
  killed: number;
  timedOut: number;
  survived: number;
  buildErrors: number;
  /** Survivors the equivalence review explains (no tool proves equivalence of our SystemVerilog, docs/mutate.md). */
  equivalent: number;
  possiblyEquivalent: number;
  /** (killed + timed out) / (total − build errors − equivalent). */
  score: number;
}

export interface MutationReport {
  suite: string;
  sourcesHash: string;
  design: string;
  cases: number;
  mutants: ScoredMutant[];
  summary: MutationSummary;
  /** Wall time of the Verilator builds and of the baseline and mutant runs of this invocation. */
  buildSeconds: number;
  runSeconds: number;
  scoredNow: number;
  /** Review entries that match no mutant of the current RTL (moved or changed lines: judge again). */
  staleReview: EquivalenceEntry[];
  /** Where the mutants' files are, for the report (default targets/tsim/rtl; the Yosys path: the mutated Verilog's folder). */
  sourceRoot?: string;
}

export function summarize(mutants: ScoredMutant[]): MutationSummary {
  const n = (s: string) => mutants.filter((m) => m.status === s).length;
  const killed = n('killed');
  const timedOut = n('timeout');
  const buildErrors = n('build error');
  const equivalent = mutants.filter((m) => m.status === 'survived' && m.equivalent !== undefined).length;
  const denominator = mutants.length - buildErrors - equivalent;
  return { total: mutants.length, killed, timedOut, survived: n('survived') - equivalent, buildErrors, equivalent, possiblyEquivalent: mutants.filter((m) => m.possiblyEquivalent).length, score: denominator > 0 ? (killed + timedOut) / denominator : 0 };
}

/** The cases a mutant is scored on: fsim against one tsim target. */
export function suiteOf(name: SuiteName, filter: RegExp | undefined): CaseSpec[] {
  const cases = suiteCases(name).filter((c) => c.targets.length === 2 && c.targets[0] === 'fsim' && c.targets[1]!.startsWith('tsim') && (!filter || filter.test(c.id)));
  if (cases.length === 0) throw new MutateError(`suite ${name}${filter ? ` with --filter ${filter.source}` : ''} has no case that runs fsim against tsim`);
  return cases;
}

export async function runMutation(opts: MutateOptions): Promise<MutationReport> {
  const log = opts.log ?? (() => {});
  const files = ownRtlFiles();
  const hash = sourcesHash(files);
  const set = allMutants(files);
  const selected = opts.select ? opts.select(set) : selectMutants(set.all, opts.count, opts.seed);
  if (selected.length === 0) throw new MutateError('the RTL gave no mutants');
  if (opts.onlyIds) {
    const unknown = [...opts.onlyIds].filter((k) => !selected.some((m) => m.id === k));
    if (unknown.length) throw new MutateError(`--only: no mutant numbered ${unknown.join(', ')} in this selection of ${selected.length}`);
    const ids = opts.onlyIds;
    opts = { ...opts, only: new Set(selected.filter((m) => ids.has(m.id) && (!opts.only || opts.only.has(m.key))).map((m) => m.key)) };
  }
  const selectionKey = createHash('sha256').update(selected.map((m) => m.key).join('\n')).digest('hex').slice(0, 16);
  const designDir = join(mutationCacheDir(), `${hash}-${selectionKey}`);
  const design = writeInstrumentedDesign(set, selected, designDir);
  const db = openResultsDb(opts.resultsFile);
  try {
    const cases = opts.cases ?? suiteOf(opts.suite, opts.filter);
    const casesHash = createHash('sha256').update(cases.map((c) => c.id).sort().join('\n')).digest('hex').slice(0, 16);
    const already = readScored(db, hash, opts.suite, casesHash);
    const todo = selected.filter((m) => !already.has(m.key) && (!opts.only || opts.only.has(m.key)));
    const wanted = opts.only ? selected.filter((m) => opts.only!.has(m.key)).length : selected.length;
    log(`vta-trace mutate: ${selected.length} mutants of ${set.all.length} over ${new Set(selected.map((m) => m.module)).size} modules${opts.only ? ` (${wanted} asked for)` : ''}; ${wanted - todo.length} already scored for these sources and the ${cases.length} cases of suite ${opts.suite}`);
    let buildSeconds = 0;
    let runSeconds = 0;
    const results = new Map<string, ScoredRow>();
    if (todo.length > 0) {
      const t0 = Date.now();
      const buildError = await buildAll(design, cases, log);
      buildSeconds = (Date.now() - t0) / 1000;
      const pool = new Piscina({ filename: opts.workerFile ?? repoPath('dist', 'regression', 'mutation', 'worker.js'), minThreads: opts.jobs, maxThreads: opts.jobs, idleTimeout: 1000 });
      const t1 = Date.now();
      try {
        if (buildError) {
          for (const m of todo) results.set(m.key, row(m, { status: 'build error', reason: buildError, casesRun: 0, seconds: 0 }));
        } else {
          const ordered = await baselineCases(pool, db, design, `${hash}-${selectionKey}`, opts.suite, cases, log, opts.signal);
          let done = 0;
          await Promise.all(
            todo.map(async (m) => {
              if (opts.signal?.aborted) return;
              const r = (await pool.run({ kind: 'mutant', design, mutantId: m.id, cases: ordered } satisfies MutationTask, opts.signal ? { signal: opts.signal } : {})) as MutantResult;
              const scored = row(m, r);
              writeScored(db, hash, opts.suite, casesHash, scored);
              results.set(m.key, scored);
              done++;
              log(`  [${done}/${todo.length}] #${m.id} ${m.file}:${m.line} ${m.operator}: ${r.status}${r.caseId ? ` by ${r.caseId}` : ''}${r.signature ? ` (${r.signature})` : ''} after ${r.casesRun} cases, ${r.seconds.toFixed(1)} s`);
            }),
          ).catch((e) => {
            if (!opts.signal?.aborted) throw e;
          });
        }
      } finally {
        runSeconds = (Date.now() - t1) / 1000;
        await pool.destroy();
      }
      if (buildError) for (const r of results.values()) writeScored(db, hash, opts.suite, casesHash, r);
    }
    const mutants: ScoredMutant[] = selected
      .map((m) => {
        const fresh = results.get(m.key);
        const r = fresh ?? already.get(m.key);
        if (opts.only && !opts.only.has(m.key)) return undefined;
        return r ? { ...r, id: m.id, patch: patchOf(set, m), cached: fresh === undefined } : undefined;
      })
      .filter((m): m is ScoredMutant => m !== undefined);
    const staleReview = applyReview(opts.equivalenceReview ?? [], set, mutants);
    if (opts.equivalenceSuite) {
      const survivors = mutants.filter((m) => m.status === 'survived' && m.equivalent === undefined);
      const order = (pool: Piscina, c: CaseSpec[]) => baselineCases(pool, db, design, `${hash}-${selectionKey}`, opts.equivalenceSuite!, c, log, opts.signal);
      await markPossiblyEquivalent({ ...opts, equivalenceSuite: opts.equivalenceSuite, design, order }, survivors, log);
    }
    return { suite: opts.suite, sourcesHash: hash, design, cases: cases.length, mutants, summary: summarize(mutants), buildSeconds, runSeconds, scoredNow: results.size, staleReview };
  } finally {
    db.close();
  }
}

/** Marks reviewed survivors equivalent and reviewed kills contradicted; returns the stale entries. */
function applyReview(entries: EquivalenceEntry[], set: MutantSet, mutants: ScoredMutant[]): EquivalenceEntry[] {
  const { reviewed, stale } = matchReview(entries, [...set.all, ...mutants], mutants);
  for (const [m, e] of reviewed) {
    if (m.status === 'survived') m.equivalent = e.why;
    else if (m.status === 'killed' || m.status === 'timeout') m.reviewContradicted = e.why;
  }
  return stale;
}

function row(m: NumberedMutant, r: Pick<MutantResult, 'status' | 'caseId' | 'signature' | 'divergence' | 'reason' | 'casesRun' | 'seconds'>): ScoredRow {
  return { key: m.key, file: m.file, module: m.module, line: m.line, operator: m.operator, original: m.original, replacement: m.replacement, status: r.status, ...(r.caseId ? { caseId: r.caseId } : {}), ...(r.signature ? { signature: r.signature } : {}), ...(r.divergence ? { divergence: r.divergence } : {}), ...(r.reason ? { reason: r.reason } : {}), casesRun: r.casesRun, seconds: r.seconds };
}

/** One build per configuration of the cases, before any run; a failed build is every mutant's build error. */
export async function buildAll(design: string, cases: CaseSpec[], log: (l: string) => void): Promise<string | undefined> {
  const target = new TsimTarget({ rtl: design });
  try {
    for (const config of [...new Set(cases.map((c) => c.config))]) {
      try {
        await target.prepare(resolveConfig(config));
      } catch (e) {
        const msg = (e as Error).message.split('\n').slice(0, 6).join(' | ');
        log(`vta-trace mutate: the instrumented design does not build on ${config}: ${msg}`);
        return msg;
      }
    }
  } finally {
    await target.close();
  }
  return undefined;
}

/** fsim's results of every case and the unmutated design's agreement with them (stored: a re-run reads them). */
async function baselineCases(pool: Piscina, db: ReturnType<typeof openResultsDb>, design: string, designKey: string, suite: string, cases: CaseSpec[], log: (l: string) => void, signal?: AbortSignal): Promise<ScoredCase[]> {
  const stored = readBaseline(db, designKey, suite);
  const missing = cases.filter((c) => !stored.has(c.id));
  if (missing.length) log(`vta-trace mutate: baseline (fsim and the unmutated design) of ${missing.length} cases`);
  const disagree: string[] = [];
  await Promise.all(
    missing.map(async (c) => {
      const r = (await pool.run({ kind: 'baseline', design, spec: c, tsimTarget: c.targets[1]! } satisfies MutationTask, signal ? { signal } : {})) as BaselineResult;
      if (r.setupError) throw new MutateError(r.setupError);
      if (!r.agrees) return void disagree.push(`${c.id}: ${r.problem}`);
      writeBaseline(db, designKey, suite, r);
      stored.set(c.id, { seconds: r.tsimSeconds, outputsHash: r.outputsHash, ...(r.digest ? { digest: r.digest } : {}) });
    }),
  );
  if (disagree.length) throw new MutateError(`the unmutated design (mutant 0) disagrees with fsim on ${disagree.length} case(s), so no mutant can be scored: ${disagree.slice(0, 3).join('; ')}`);
  // Cheapest first: a mutant is mostly killed by the first cases, so most of the suite is never run for it.
  return cases
    .map((c) => ({ c, b: stored.get(c.id)! }))
    .sort((x, y) => x.b.seconds - y.b.seconds || x.c.id.localeCompare(y.c.id))
    .map(({ c, b }) => ({ spec: c, tsimTarget: c.targets[1]!, outputsHash: b.outputsHash, ...(b.digest ? { digest: b.digest } : {}) }));
}

/** Where survivors are run on a larger suite, and how that suite's cases are baselined and ordered (each engine its own way). */
export interface SurvivorRun {
  suite: SuiteName;
  equivalenceSuite: SuiteName;
  filter?: RegExp;
  jobs: number;
  workerFile?: string;
  design: string;
  order: (pool: Piscina, cases: CaseSpec[]) => Promise<ScoredCase[]>;
}

/** Survivors run on a larger suite's cases: those it does not kill either are "possibly equivalent". */
export async function markPossiblyEquivalent(run: SurvivorRun, survivors: ScoredMutant[], log: (l: string) => void): Promise<void> {
  if (survivors.length === 0) return;
  const suite = run.equivalenceSuite;
  const cases = suiteOf(suite, run.filter);
  if (await buildAll(run.design, cases, log)) return;
  const pool = new Piscina({ filename: run.workerFile ?? repoPath('dist', 'regression', 'mutation', 'worker.js'), minThreads: run.jobs, maxThreads: run.jobs, idleTimeout: 1000 });
  try {
    const ordered = await run.order(pool, cases);
    log(`vta-trace mutate: ${survivors.length} survivors on suite ${suite} (${ordered.length} cases)`);
    await Promise.all(
      survivors.map(async (m) => {
        const r = (await pool.run({ kind: 'mutant', design: run.design, mutantId: m.id, cases: ordered } satisfies MutationTask)) as MutantResult;
        if (r.status === 'survived') m.possiblyEquivalent = true;
        else m.reason = `killed by the ${suite} suite's ${r.caseId} (${r.signature ?? r.status}); not by ${run.suite}`;
      }),
    );
  } finally {
    await pool.destroy();
  }
}
