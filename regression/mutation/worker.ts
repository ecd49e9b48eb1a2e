/**
 * The mutation pool's worker: a baseline task runs one case on fsim and on the instrumented
 * design with no mutant on; a mutant task runs the cases it is given on the instrumented design
 * with its mutant on (+vta_mutant=K, one simulator process for all its cases), compares each with
 * fsim's stored outputs and digest, and at the first case that differs re-runs that case with
 * the tracer to name the first divergence. A case whose effects agree is then checked on what the
 * design says about them: its trace unit's records (TRACE_UNIT configurations) against fsim's
 * board digests, and its VCR counters against fsim's counts (observerProblem).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VtaUserError } from '../../runtime/errors.js';
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import type { RunResult, Target } from '../../runtime/contract/target.js';
import { createTarget } from '../../targets/registry.js';
import { parseTsimTargetName } from '../../targets/tsim/memory-option.js';
import { MUTANT_PLUSARG } from '../../targets/tsim/mutation/instrument.js';
import { TsimTarget } from '../../targets/tsim/target.js';
import { viewProgram } from '../../targets/tsim/program-view.js';
import { disassemble } from '../../runtime/isa/disasm.js';
import { MODULES, type Module } from '../../runtime/isa/insn.js';
import { diffTargets } from '../../tracer/diff-targets.js';
import { MemoryRecordSink, Recorder } from '../../tracer/recorder.js';
import { makeTraceSpec } from '../../tracer/spec.js';
import { TraceStore } from '../../tracer/store/trace-store.js';
import { outputMismatches } from '../../tracer/trace-run.js';
import { BoardDigester, type BoardRecord } from '../../runtime/contract/board-digest.js';
import type { Counters } from '../../runtime/contract/target.js';
import { vcrCounterProblems } from '../../targets/tsim/vcr-counters.js';
import { boardMismatchText, firstBoardMismatch } from '../board-compare.js';
import { buildCase } from '../workers/build-case.js';
import { outputsHash, runDigest, RUN_LIMITS } from '../workers/run-target.js';
import type { BaselineResult, BaselineTask, MutantResult, MutantTask, MutationTask } from './tasks.js';

function mutantTarget(design: string, tsimTarget: string, id: number): TsimTarget {
  const { memory } = parseTsimTargetName(tsimTarget);
  return new TsimTarget({ rtl: design, plusargs: [`+${MUTANT_PLUSARG}=${id}`], ...(memory ? { memory } : {}) });
}

/** A few recent bundles: a mutant's cases follow the same order on every thread. */
const bundles = new Map<string, ProgramBundle>();
function bundleOf(spec: MutantTask['cases'][number]['spec']): ProgramBundle {
  let b = bundles.get(spec.id);
  if (!b) {
    b = buildCase(spec);
    bundles.set(spec.id, b);
    if (bundles.size > 24) bundles.delete(bundles.keys().next().value!);
  }
  return b;
}

interface Digested {
  result: RunResult;
  outputsHash: string;
  digest: string;
}

async function runDigested(target: Target, bundle: ProgramBundle): Promise<Digested> {
  const sink = new MemoryRecordSink();
  const recorder = new Recorder(makeTraceSpec({ mode: 'digest' }), bundle.insnCount, sink);
  await target.prepareRun?.(bundle);
  const result = await target.run({ bundle, sink: recorder, limits: RUN_LIMITS });
  recorder.finish();
  return { result, outputsHash: outputsHash(result.outputs), digest: runDigest(sink) };
}

/**
 * What fsim predicts for the design's own observers of a case: its counters (for the VCR
 * counters) and, on TRACE_UNIT configurations, its board digests (for the trace unit's records).
 * Computed once per case and thread: fsim takes milliseconds on the cases that have a trace unit,
 * and this run asks for no events elsewhere.
 */
interface FsimObservers {
  counters: Counters;
  board?: BoardRecord[];
}
const observers = new Map<string, Promise<FsimObservers>>();
function fsimObservers(spec: MutantTask['cases'][number]['spec']): Promise<FsimObservers> {
  let o = observers.get(spec.id);
  if (!o) {
    o = (async () => {
      const bundle = bundleOf(spec);
      const fsim = await createTarget('fsim');
      const board = bundle.params.traceUnit ? new BoardDigester() : undefined;
      const recorder = new Recorder(makeTraceSpec({ mode: 'outputs' }), bundle.insnCount, new MemoryRecordSink(), board);
      const r = await fsim.run({ bundle, sink: recorder, limits: RUN_LIMITS });
      recorder.finish();
      await fsim.close();
      return { counters: r.counters, ...(board ? { board: board.records } : {}) };
    })();
    observers.set(spec.id, o);
  }
  return o;
}

/**
 * After a run that agrees with fsim on outputs and digests: the trace unit's records and the VCR
 * counters against fsim's predictions. The first problem, with the instruction it names if any.
 */
export async function observerProblem(t: TsimTarget, spec: MutantTask['cases'][number]['spec']): Promise<{ reason: string; signature: string; divergence?: { pc: number; disasm: string } } | undefined> {
  const bundle = bundleOf(spec);
  const ref = await fsimObservers(spec);
  if (t.boardRingError) return { reason: `trace-unit ring: ${t.boardRingError}`, signature: 'trace ring' };
  if (ref.board && t.unitRecords) {
    const m = firstBoardMismatch(ref.board, t.unitRecords, t.boardRingWrapped);
    if (m) {
      const insn = viewProgram(bundle).insns[m.pc];
      const disasm = insn ? disassemble(bundle.params, insn) : '(undecodable)';
      const kind = disasm.split(/\s{2,}|\s\|/)[0]?.trim() ?? 'unknown';
      return { reason: boardMismatchText('tsim', 'fsim', m, kind), signature: `${kind} board.record`, divergence: { pc: m.pc, disasm } };
    }
  }
  if (t.vcrCounters) {
    const problems = vcrCounterProblems(t.vcrCounters, ref.counters);
    if (problems.length) return { reason: problems.join('; '), signature: `vcr ${/counter (\w+)/.exec(problems[0]!)?.[1] ?? 'counters'}` };
  }
  return undefined;
}

async function baseline(task: BaselineTask): Promise<BaselineResult> {
  const bundle = bundleOf(task.spec);
  const fsim = await createTarget('fsim');
  const ref = await runDigested(fsim, bundle);
  await fsim.close();
  const tsim = mutantTarget(task.design, task.tsimTarget, 0);
  const started = Date.now();
  let mine: Digested;
  let observed: Awaited<ReturnType<typeof observerProblem>>;
  try {
    mine = await runDigested(tsim, bundle);
    observed = mine.result.status === 'ok' ? await observerProblem(tsim, task.spec) : undefined;
  } catch (e) {
    if (e instanceof VtaUserError) return { caseId: task.spec.id, outputsHash: '', agrees: false, tsimSeconds: 0, setupError: e.message };
    throw e;
  } finally {
    await tsim.close();
  }
  const tsimSeconds = (Date.now() - started) / 1000;
  const problems: string[] = [];
  if (ref.result.status !== 'ok') problems.push(`fsim ended ${ref.result.status}`);
  if (task.spec.golden && outputMismatches(bundle, ref.result.outputs).length > 0) problems.push('fsim differs from the golden result');
  if (mine.result.status !== 'ok') problems.push(`the unmutated design ended ${mine.result.status}${mine.result.message ? `: ${mine.result.message}` : ''}`);
  else if (mine.outputsHash !== ref.outputsHash) problems.push('the unmutated design\'s outputs differ from fsim');
  else if (mine.digest !== ref.digest) problems.push('the unmutated design\'s instruction digests differ from fsim');
  else if (observed) problems.push(`the unmutated design: ${observed.reason}`);
  return { caseId: task.spec.id, outputsHash: ref.outputsHash, digest: ref.digest, agrees: problems.length === 0, ...(problems.length ? { problem: problems.join('; ') } : {}), tsimSeconds };
}

/** The first divergence of a killing case, as regress names it (workers/find-divergence.ts). */
async function signatureOf(task: MutantTask, c: MutantTask['cases'][number]): Promise<Pick<MutantResult, 'signature' | 'divergence'>> {
  const dir = mkdtempSync(join(tmpdir(), 'vta-mutate-'));
  const store = TraceStore.open(join(dir, 'case.db'));
  try {
    const name = mutantTarget(task.design, c.tsimTarget, task.mutantId).name;
    const make = async (n: string) => (n === name ? mutantTarget(task.design, c.tsimTarget, task.mutantId) : createTarget(n));
    const { report } = await diffTargets({ targets: ['fsim', name], createTarget: make, bundle: bundleOf(c.spec), spec: makeTraceSpec({ mode: 'digest' }), store, limits: RUN_LIMITS, configName: c.spec.config });
    const f = report.first;
    if (!f) return {};
    const kind = f.disasm.split(/\s{2,}|\s\|/)[0]?.trim() ?? 'unknown';
    return { signature: `${kind} ${f.stream ?? ''}`.trim(), divergence: { pc: f.pc, ...(f.stream !== undefined ? { stream: f.stream } : {}), ...(f.addr !== undefined ? { addr: f.addr } : {}), disasm: f.disasm } };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A hang's first instruction without its effect: the earliest in program order that its module
 * had not retired when the watchdog stopped the run (from the "retired <module> N" lines of the
 * hang message), or the one named as never accepted.
 */
export function hangDivergence(bundle: ProgramBundle, message: string): { signature: string; divergence: { pc: number; disasm: string } } | undefined {
  const view = viewProgram(bundle);
  const pcs: number[] = [];
  const named = /never accepted #(\d+)/.exec(message);
  if (named) pcs.push(Number(named[1]));
  for (const m of MODULES) {
    const r = new RegExp(`retired ${m} (\\d+)`).exec(message);
    const next = r ? view.pcs[m as Module][Number(r[1])] : undefined;
    if (next !== undefined) pcs.push(next);
  }
  if (pcs.length === 0) return undefined;
  const pc = Math.min(...pcs);
  const insn = view.insns[pc];
  const disasm = insn ? disassemble(bundle.params, insn) : '(undecodable)';
  const kind = disasm.split(/\s{2,}|\s\|/)[0]?.trim() ?? 'unknown';
  return { signature: `hang: ${kind} never retired`, divergence: { pc, disasm } };
}

async function scoreMutant(task: MutantTask): Promise<MutantResult> {
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;
  // One target per memory kind of the cases: its process lives for all the mutant's cases.
  const targets = new Map<string, TsimTarget>();
  let casesRun = 0;
  try {
    for (const c of task.cases) {
      let t = targets.get(c.tsimTarget);
      if (!t) targets.set(c.tsimTarget, (t = mutantTarget(task.design, c.tsimTarget, task.mutantId)));
      casesRun++;
      let run: Digested;
      try {
        run = await runDigested(t, bundleOf(c.spec));
      } catch (e) {
        if (e instanceof VtaUserError) return { status: 'build error', casesRun, seconds: seconds(), reason: e.message, setupError: e.message };
        throw e;
      }
      const st = run.result.status;
      if (st === 'timeout') return { status: 'timeout', caseId: c.spec.id, signature: 'timeout', reason: run.result.message ?? 'the run hit its time limit', casesRun, seconds: seconds() };
      if (st !== 'ok') {
        // A crash: the tracer still names the first instruction whose effects differ (or are missing).
        // Not a hang: its re-run waits for the watchdogs again (90 s here); its message names where it stuck.
        const sig = st === 'crash' ? await signatureOf(task, c).catch(() => ({}) as Pick<MutantResult, 'signature' | 'divergence'>) : {};
        const hung = st === 'hang' ? hangDivergence(bundleOf(c.spec), run.result.message ?? '') : undefined;
        if (hung) return { status: 'killed', caseId: c.spec.id, ...hung, reason: `tsim ended hang: ${run.result.message ?? ''}`, casesRun, seconds: seconds() };
        return { status: 'killed', caseId: c.spec.id, ...sig, signature: sig.signature ? `${st}: ${sig.signature}` : st, reason: `tsim ended ${st}${run.result.message ? `: ${run.result.message}` : ''}`, casesRun, seconds: seconds() };
      }
      const what = run.outputsHash !== c.outputsHash ? 'outputs differ from fsim' : run.digest !== c.digest ? 'instruction digests differ from fsim (outputs agree)' : undefined;
      if (what) {
        const sig = await signatureOf(task, c);
        return { status: 'killed', caseId: c.spec.id, ...sig, signature: sig.signature ?? 'outputs only', reason: what, casesRun, seconds: seconds() };
      }
      // Same effects as fsim: what the design says about them (trace-unit records, VCR counters) must agree too.
      const observed = await observerProblem(t, c.spec);
      if (observed) return { status: 'killed', caseId: c.spec.id, ...observed, casesRun, seconds: seconds() };
    }
    return { status: 'survived', casesRun, seconds: seconds() };
  } finally {
    for (const t of targets.values()) await t.close().catch(() => {});
  }
}

export default async function (task: MutationTask): Promise<BaselineResult | MutantResult> {
  return task.kind === 'baseline' ? baseline(task) : scoreMutant(task);
}
