/**
 * The shrinker's test of one candidate program: valid (validity.ts), and the targets still
 * diverge with the original signature. Each target is made once and kept for every candidate —
 * a tsim target keeps its built model and its simulator process (targets/tsim/target.ts reuses
 * both while the configuration stays the same, and shrinking never changes it).
 *
 * Most candidates fail, so they are judged cheaply first: each target runs in digest mode into
 * memory and the per-instruction digests name the first differing instruction; no difference, or
 * one at an instruction of another mnemonic, ends the test there. A candidate that passes is
 * confirmed the way `vta-trace diff` does it (digest mode into a scratch trace database, then the
 * divergent window re-run at full detail) and its signature compared.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import type { RunLimits, RunResult, Target } from '../../runtime/contract/target.js';
import { VtaUserError } from '../../runtime/errors.js';
import { faultText, parseFault } from '../../targets/fsim/faults.js';
import { createTarget, type TargetOptions } from '../../targets/registry.js';
import { diffTargets } from '../../tracer/diff-targets.js';
import type { DivergenceReport } from '../../tracer/diverge/divergence.js';
import { MemoryRecordSink, Recorder, type DigestChunk } from '../../tracer/recorder.js';
import { makeTraceSpec } from '../../tracer/spec.js';
import { TraceStore } from '../../tracer/store/trace-store.js';
import { mnemonicAt, sameSignature, signatureOf, type DivergenceSignature } from './signature.js';
import { toBundle, type ShrinkProgram } from './program.js';
import { validityProblem } from './validity.js';

/** Per run: far above any shrunk program's time, far below a forgotten hang's. */
const CANDIDATE_LIMITS: RunLimits = { timeoutMs: 120_000 };

export interface OracleStats {
  candidates: number;
  invalid: number;
  /** Rejected by the in-memory digest comparison. */
  cheap: number;
  /** Confirmed through the tracer (accepted or not). */
  confirmed: number;
}

/**
 * A target name for a candidate: a seeded fsim fault aims at an instruction by index
 * (fsim+gemm-lane:pc=K,…), so it follows the original instruction K to its new index; undefined
 * when that instruction is gone.
 */
export function targetNameFor(name: string, p: ShrinkProgram): string | undefined {
  if (!name.startsWith('fsim+')) return name;
  const fault = parseFault(name.slice(5));
  const pc = p.insns.findIndex((x) => x.origin === fault.pc);
  return pc < 0 ? undefined : `fsim+${faultText({ ...fault, pc })}`;
}

export class ShrinkOracle {
  private readonly made = new Map<string, Promise<Target>>();
  private readonly dir = mkdtempSync(join(tmpdir(), 'vta-shrink-'));
  private readonly store: TraceStore;
  readonly stats: OracleStats = { candidates: 0, invalid: 0, cheap: 0, confirmed: 0 };
  signature: DivergenceSignature | undefined;

  constructor(
    readonly targets: string[],
    private readonly targetOptions: TargetOptions = {},
  ) {
    this.store = TraceStore.open(join(this.dir, 'shrink.db'));
  }

  /** One target per name for the whole shrink; close() of the wrapper the tracer gets does nothing. */
  private target(name: string): Promise<Target> {
    let t = this.made.get(name);
    if (!t) {
      t = createTarget(name, this.targetOptions);
      this.made.set(name, t);
    }
    return t;
  }

  private async kept(name: string): Promise<Target> {
    const t = await this.target(name);
    return { name: t.name, run: (r) => t.run(r), check: t.check?.bind(t), prepareRun: t.prepareRun?.bind(t), close: async () => {} };
  }

  /** The tracer's report on this bundle (the same as `vta-trace diff … --bundle`). */
  async report(names: string[], bundle: ProgramBundle): Promise<DivergenceReport> {
    this.stats.confirmed++;
    const { report } = await diffTargets({ targets: names, createTarget: (n) => this.kept(n), bundle, spec: makeTraceSpec({ mode: 'digest' }), store: this.store, window: 1, limits: CANDIDATE_LIMITS });
    return report;
  }

  /** Digest-mode run into memory: the status and per-instruction digests. */
  private async digests(name: string, bundle: ProgramBundle): Promise<{ result: RunResult; chunks: DigestChunk[] }> {
    const t = await this.target(name);
    t.check?.(bundle);
    await t.prepareRun?.(bundle);
    const sink = new MemoryRecordSink();
    const recorder = new Recorder(makeTraceSpec({ mode: 'digest' }), bundle.insnCount, sink);
    const result = await t.run({ bundle, sink: recorder, limits: CANDIDATE_LIMITS });
    recorder.finish();
    return { result, chunks: sink.chunks };
  }

  /** Whether the candidate is valid and its targets diverge with the signature. */
  async test(p: ShrinkProgram): Promise<boolean> {
    const sig = this.signature!;
    this.stats.candidates++;
    const bundle = toBundle(p);
    const names = this.targets.map((n) => targetNameFor(n, p));
    if (names.some((n) => n === undefined) || validityProblem(p.insns, bundle)) return this.reject('invalid');
    let runs: { result: RunResult; chunks: DigestChunk[] }[];
    try {
      runs = [];
      for (const n of names) runs.push(await this.digests(n!, bundle));
    } catch (e) {
      // A seeded fault that cannot fire in the candidate (fault-reach.ts) is no reproducer.
      if (e instanceof VtaUserError) return this.reject('invalid');
      throw e;
    }
    if (runs.map((r) => r.result.status).join() !== sig.statuses.join()) return this.reject('cheap');
    const pc = firstDifference(runs.map((r) => r.chunks), bundle.insnCount);
    if (pc === undefined || mnemonicAt(bundle, pc) !== sig.insn) return this.reject('cheap');
    const got = signatureOf(await this.report(names as string[], bundle), bundle);
    return got !== undefined && sameSignature(got, sig);
  }

  private reject(why: 'invalid' | 'cheap'): false {
    this.stats[why]++;
    return false;
  }

  async close(): Promise<void> {
    for (const t of this.made.values()) await (await t.catch(() => undefined))?.close();
    this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The first program index whose digest (or presence) differs between the runs. */
export function firstDifference(runs: DigestChunk[][], insnCount: number): number | undefined {
  const keys = runs.map((chunks) => {
    const k: string[] = new Array(insnCount).fill('absent');
    for (const c of chunks) for (let i = 0; i < c.count; i++) if (c.present[i]) k[c.firstPc + i] = `${c.insnDigests[2 * i]}:${c.insnDigests[2 * i + 1]}`;
    return k;
  });
  for (let pc = 0; pc < insnCount; pc++) if (keys.some((k) => k[pc] !== keys[0]![pc])) return pc;
  return undefined;
}
