/**
 * `vta-trace mutate --design D.json --verilog F…` (main side): Yosys's mutants (MCY's
 * `mutate -list`) of a design description's plain-Verilog files, scored against a suite like
 * our own RTL's (engine.ts): all selected mutants are written into one design under a selector
 * (`mutate -ctrl`, yosys-select.ts) so one Verilator build serves them all, the baseline runs
 * fsim and the unmutated design (+vta_mutant=0) on every case, and each mutant not yet scored for
 * these sources and cases runs on the pool (worker.ts: a mutant is a design plus +vta_mutant=K),
 * its result recorded in the results database as it arrives.
 *
 * Unlike our RTL, a user's design may differ from fsim where its known-differences file says
 * so (upstream's Chisel VTA does): a case on which the unmutated design does not agree with fsim
 * scores nothing and is left out, said so in the log and the report's case count.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { Piscina } from 'piscina';
import { repoPath } from '../../runtime/repo.js';
import { mutationCacheDir } from '../../targets/tsim/mutation/rtl-mutants.js';
import { listYosysMutants, writeYosysDesign, yosysEquivalent, YosysError, type YosysMutant } from '../../targets/tsim/mutation/yosys-mutants.js';
import { describeYosysMutant, writeYosysMutantsDesign } from '../../targets/tsim/mutation/yosys-select.js';
import { yosysMutationDesign } from '../../targets/tsim/mutation/yosys-design.js';
import { createTwoFilesPatch } from 'diff';
import { openResultsDb } from '../results/open.js';
import type { CaseSpec, SuiteName } from '../suites.js';
import { buildAll, markPossiblyEquivalent, MutateError, suiteOf, summarize, type MutationReport, type ScoredMutant } from './engine.js';
import { readBaseline, readScored, writeBaseline, writeScored, type ScoredRow } from './mutation-db.js';
import type { BaselineResult, MutantResult, MutationTask, ScoredCase } from './tasks.js';

export interface YosysMutateOptions {
  /** The design description whose files Yosys mutates. */
  design: string;
  /** Which of its files Yosys reads and mutates. */
  verilog: string[];
  /** The module Yosys elaborates (default: the description's top). */
  top?: string;
  suite: SuiteName;
  count: number;
  seed: number;
  filter?: RegExp;
  jobs: number;
  resultsFile: string;
  equivalenceSuite?: SuiteName;
  /** Prove each survivor equivalent or not with Yosys (miter + bounded SAT). */
  checkEquivalence?: boolean;
  log?: (line: string) => void;
  signal?: AbortSignal;
  /** Instead of the suite's cases. */
  cases?: CaseSpec[];
  /** Instead of the whole listing: these of Yosys's `count` mutants (tests pick named ones); renumbered 1…n. */
  select?: (listed: YosysMutant[]) => YosysMutant[];
}

export async function runYosysMutation(opts: YosysMutateOptions): Promise<MutationReport> {
  const log = opts.log ?? (() => {});
  const d = yosysMutationDesign(opts.design, opts.verilog, opts.top);
  const t0 = Date.now();
  const all = listYosysMutants(d.yosys, opts.count, opts.seed);
  const listed = opts.select ? opts.select(all).map((m, k) => ({ ...m, id: k + 1 })) : all;
  if (listed.length === 0) throw new MutateError(`Yosys lists no mutant of ${d.yosys.top}`);
  const described = new Map(
    listed.map((m) => {
      const { command: _, ...row } = describeYosysMutant(m);
      return [m.id, row];
    }),
  );
  const selectionKey = createHash('sha256').update(listed.map((m) => described.get(m.id)!.key).join('\n')).digest('hex').slice(0, 16);
  const designKey = `yosys-${d.sourcesHash}-${selectionKey}`;
  const dir = join(mutationCacheDir(), designKey);
  let designFile = join(dir, 'design.json');
  if (!existsSync(designFile)) {
    mkdirSync(dir, { recursive: true });
    const mutated = join(dir, `${d.yosys.top}.mutants.v`);
    writeYosysMutantsDesign(d.yosys, listed, mutated);
    designFile = d.writeMutated(dir, mutated);
  }
  const yosysSeconds = (Date.now() - t0) / 1000;
  log(`vta-trace mutate: Yosys listed ${listed.length} mutants of ${d.yosys.top} over ${new Set(listed.map((m) => m.module)).size} modules and wrote them into one design (${yosysSeconds.toFixed(1)} s)`);
  const db = openResultsDb(opts.resultsFile);
  try {
    const offered = opts.cases ?? suiteOf(opts.suite, opts.filter);
    const casesHash = createHash('sha256').update(offered.map((c) => c.id).sort().join('\n')).digest('hex').slice(0, 16);
    const already = readScored(db, d.sourcesHash, opts.suite, casesHash);
    const todo = listed.filter((m) => !already.has(described.get(m.id)!.key));
    log(`vta-trace mutate: ${listed.length - todo.length} already scored for these sources and the ${offered.length} cases of suite ${opts.suite}`);
    let buildSeconds = yosysSeconds;
    let runSeconds = 0;
    let usable = offered.length;
    const results = new Map<string, ScoredRow>();
    if (todo.length > 0) {
      const t1 = Date.now();
      const buildError = await buildAll(designFile, offered, log);
      buildSeconds += (Date.now() - t1) / 1000;
      const pool = newPool(opts.jobs);
      const t2 = Date.now();
      try {
        if (buildError) {
          for (const m of todo) results.set(described.get(m.id)!.key, { ...described.get(m.id)!, status: 'build error', reason: buildError, casesRun: 0, seconds: 0 });
          for (const r of results.values()) writeScored(db, d.sourcesHash, opts.suite, casesHash, r);
        } else {
          const ordered = await agreeingCases(pool, db, designFile, designKey, opts.suite, offered, log, opts.signal);
          usable = ordered.length;
          let done = 0;
          await Promise.all(
            todo.map(async (m) => {
              if (opts.signal?.aborted) return;
              const r = (await pool.run({ kind: 'mutant', design: designFile, mutantId: m.id, cases: ordered } satisfies MutationTask, opts.signal ? { signal: opts.signal } : {})) as MutantResult;
              const { setupError: _, ...result } = r;
              const scored: ScoredRow = { ...described.get(m.id)!, ...result };
              writeScored(db, d.sourcesHash, opts.suite, casesHash, scored);
              results.set(scored.key, scored);
              done++;
              log(`  [${done}/${todo.length}] #${m.id} ${scored.file}:${scored.line} ${m.module} ${m.mode}: ${r.status}${r.caseId ? ` by ${r.caseId}` : ''}${r.signature ? ` (${r.signature})` : ''} after ${r.casesRun} cases, ${r.seconds.toFixed(1)} s`);
            }),
          ).catch((e) => {
            if (!opts.signal?.aborted) throw e;
          });
        }
      } finally {
        runSeconds = (Date.now() - t2) / 1000;
        await pool.destroy();
      }
    }
    const mutants: ScoredMutant[] = listed
      .map((m) => {
        const key = described.get(m.id)!.key;
        const fresh = results.get(key);
        const r = fresh ?? already.get(key);
        return r ? { ...r, id: m.id, patch: '', cached: fresh === undefined } : undefined;
      })
      .filter((m): m is ScoredMutant => m !== undefined);
    const byId = new Map(listed.map((m) => [m.id, m]));
    const survivors = mutants.filter((m) => m.status === 'survived');
    // Only survivors get their patch (two Yosys runs each; a killed mutant is named by its mutate command).
    const patches = yosysPatches(d.yosys, survivors.map((m) => byId.get(m.id)!));
    for (const m of mutants) m.patch = patches.get(m.id) ?? `${describeYosysMutant(byId.get(m.id)!).command}\n`;
    if (opts.equivalenceSuite) {
      const order = (pool: Piscina, c: CaseSpec[]) => agreeingCases(pool, db, designFile, designKey, opts.equivalenceSuite!, c, log, opts.signal);
      await markPossiblyEquivalent({ ...opts, equivalenceSuite: opts.equivalenceSuite, design: designFile, order }, survivors, log);
    }
    if (opts.checkEquivalence) {
      for (const m of survivors) {
        try {
          const v = yosysEquivalent(d.yosys, byId.get(m.id)!);
          if (v.equivalent) m.equivalent = `proven by Yosys: ${v.detail}`;
          m.reason = `${v.equivalent ? 'equivalent' : 'not equivalent as a module'} by Yosys: ${v.detail}`;
        } catch (e) {
          if (!(e instanceof YosysError)) throw e;
          m.reason = `equivalence unknown: ${e.message}`;
        }
        log(`vta-trace mutate: survivor #${m.id} ${m.module}: ${m.reason}`);
      }
    }
    const sourceRoot = relative(process.cwd(), dirname(d.yosys.files[0]!)) || '.';
    return { suite: opts.suite, sourcesHash: d.sourcesHash, design: designFile, cases: usable, mutants, summary: summarize(mutants), buildSeconds, runSeconds, scoredNow: results.size, sourceRoot, staleReview: [] };
  } finally {
    db.close();
  }
}



const newPool = (jobs: number) => new Piscina({ filename: repoPath('dist', 'regression', 'mutation', 'worker.js'), minThreads: jobs, maxThreads: jobs, idleTimeout: 1000 });

/**
 * The baseline (fsim and mutant 0 on every case, stored) and the cases a mutant is scored on:
 * those where the unmutated design agrees with fsim, cheapest first.
 */
async function agreeingCases(pool: Piscina, db: ReturnType<typeof openResultsDb>, design: string, designKey: string, suite: string, cases: CaseSpec[], log: (l: string) => void, signal?: AbortSignal): Promise<ScoredCase[]> {
  const stored = readBaseline(db, designKey, suite);
  const missing = cases.filter((c) => !stored.has(c.id));
  if (missing.length) log(`vta-trace mutate: baseline (fsim and the unmutated design) of ${missing.length} cases`);
  const left: string[] = [];
  await Promise.all(
    missing.map(async (c) => {
      const r = (await pool.run({ kind: 'baseline', design, spec: c, tsimTarget: c.targets[1]! } satisfies MutationTask, signal ? { signal } : {})) as BaselineResult;
      if (r.setupError || !r.agrees) return void left.push(`${c.id} (${(r.setupError ?? r.problem ?? '').split('\n')[0]!.slice(0, 160)})`);
      writeBaseline(db, designKey, suite, r);
      stored.set(c.id, { seconds: r.tsimSeconds, outputsHash: r.outputsHash, ...(r.digest ? { digest: r.digest } : {}) });
    }),
  );
  if (left.length) log(`vta-trace mutate: left out ${left.length} case(s) on which the unmutated design does not agree with fsim: ${left.slice(0, 4).join('; ')}${left.length > 4 ? '; …' : ''}`);
  const usable = cases.filter((c) => stored.has(c.id));
  if (usable.length === 0) throw new MutateError(`the unmutated design agrees with fsim on none of the ${cases.length} cases, so no mutant can be scored`);
  return usable
    .map((c) => ({ c, b: stored.get(c.id)! }))
    .sort((x, y) => x.b.seconds - y.b.seconds || x.c.id.localeCompare(y.c.id))
    .map(({ c, b }) => ({ spec: c, tsimTarget: c.targets[1]!, outputsHash: b.outputsHash, ...(b.digest ? { digest: b.digest } : {}) }));
}

/** Each mutant as a diff between the design as Yosys writes it back and with the mutant applied (the original written once). */
function yosysPatches(design: { files: string[]; top: string }, mutants: YosysMutant[]): Map<number, string> {
  const out = new Map<number, string>();
  if (mutants.length === 0) return out;
  const dir = mkdtempSync(join(tmpdir(), 'vta-yosys-'));
  try {
    const strip = (s: string) => s.replace(/^\/\* Generated by Yosys.*\n/, '');
    writeYosysDesign(design, undefined, join(dir, 'a.v'));
    const a = strip(readFileSync(join(dir, 'a.v'), 'utf8'));
    for (const m of mutants) {
      writeYosysDesign(design, m, join(dir, 'b.v'));
      out.set(m.id, createTwoFilesPatch(`a/${design.top}.v`, `b/${design.top}.v`, a, strip(readFileSync(join(dir, 'b.v'), 'utf8')), '', describeYosysMutant(m).command, { context: 2 }));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
