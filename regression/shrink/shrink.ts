/**
 * `vta-trace shrink`'s algorithm: from a bundle on which two (or more) targets diverge, a small
 * bundle on which they diverge with the same signature (signature.ts). Steps, each judged by the
 * oracle (oracle.ts):
 *   1. drop every instruction after the first divergent one (except FINISH);
 *   2. ddmin over the instructions (ddmin.ts), tokens kept balanced (remove-insns.ts), then the
 *      tokens that no longer order two real instructions dropped (prune-tokens.ts);
 *   3. per instruction, loop extents, micro-op range, sizes and padding (reduce-fields.ts);
 *   4. ddmin over the instructions again (a smaller loop may make another one unnecessary), and
 *      3–4 repeated until nothing changes (at most MAX_ROUNDS);
 *   5. DRAM data zeroed where it does not matter (zero-data.ts).
 */
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { VtaUserError } from '../../runtime/errors.js';
import type { TargetOptions } from '../../targets/registry.js';
import { ddmin } from './ddmin.js';
import { ShrinkOracle, targetNameFor, type OracleStats } from './oracle.js';
import { fromBundle, toBundle, type ShrinkProgram } from './program.js';
import { reduceFields } from './reduce-fields.js';
import { removeInsns } from './remove-insns.js';
import { pruneTokens } from './prune-tokens.js';
import { signatureOf, signatureText, type DivergenceSignature } from './signature.js';
import { zeroData } from './zero-data.js';
import { validityProblem } from './validity.js';

/** The bundle given does not diverge: nothing to shrink (exit 3 of `vta-trace shrink`). */
export class NoDivergenceError extends VtaUserError {
  override name = 'NoDivergenceError';
}

export interface ShrinkResult {
  bundle: ProgramBundle;
  /** Target names for the shrunk bundle (a seeded fsim fault follows its instruction). */
  targets: string[];
  signature: DivergenceSignature;
  before: number;
  after: number;
  stats: OracleStats;
  seconds: number;
  /** Step name → instruction count after it. */
  steps: { step: string; insns: number }[];
}

export interface ShrinkOptions extends TargetOptions {
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

async function removalStep(p: ShrinkProgram, test: (c: ShrinkProgram) => Promise<boolean>): Promise<ShrinkProgram> {
  const last = p.insns.length - 1;
  const removable = p.insns.map((_, i) => i).filter((i) => i !== last);
  const kept = await ddmin(removable, (keep) => {
    const k = new Set(keep);
    return test(removeInsns(p, new Set(removable.filter((i) => !k.has(i)))));
  });
  const k = new Set(kept);
  return removeInsns(p, new Set(removable.filter((i) => !k.has(i))));
}

const MAX_ROUNDS = 3;

/** Identity of a program's instructions (fields and order). */
function toBundleKey(p: ShrinkProgram): string {
  return JSON.stringify(p.insns.map((x) => x.insn));
}

/** pruneTokens keeps the order of real instructions, so its result is kept only when it still reproduces (it always should). */
async function tokenStep(p: ShrinkProgram, test: (c: ShrinkProgram) => Promise<boolean>): Promise<ShrinkProgram> {
  const c = { ...p, insns: pruneTokens(p.insns) };
  return c.insns.length < p.insns.length && (await test(c)) ? c : p;
}

export async function shrinkBundle(original: ProgramBundle, targets: string[], opts: ShrinkOptions = {}): Promise<ShrinkResult> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  if (targets.length < 2) throw new VtaUserError(`shrink needs at least two targets, got ${targets.length}`);
  const oracle = new ShrinkOracle(targets, opts);
  try {
    // The signature of the program as the shrinker runs it: without the golden result (which
    // only the whole program has), so every candidate is judged the same way.
    let p = fromBundle(original);
    const start = toBundle(p);
    const startProblem = validityProblem(p.insns, start);
    if (startProblem) throw new VtaUserError(`the bundle is not a program the builder would make, so it cannot be shrunk: ${startProblem}`);
    const report = await oracle.report(targets, start);
    const sig = signatureOf(report, start);
    if (!sig) throw new NoDivergenceError(report.values === 'agree' ? `${targets.join(' and ')} agree on this bundle: nothing to shrink` : `${targets.join(' and ')} differ only in outputs (no divergent event was located): nothing to shrink by`);
    oracle.signature = sig;
    log(`signature: ${signatureText(sig)} at #${report.first!.pc} of ${original.insnCount}`);
    const steps: ShrinkResult['steps'] = [];
    const test = async (c: ShrinkProgram) => oracle.test(c);
    const note = (step: string) => {
      steps.push({ step, insns: p.insns.length });
      log(`${step}: ${p.insns.length} instructions (${oracle.stats.candidates} candidates, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    };

    const pc = report.first!.pc;
    const after = removeInsns(p, new Set(p.insns.map((_, i) => i).filter((i) => i > pc && i < p.insns.length - 1)));
    if (await test(after)) p = after;
    note('after the divergence dropped');
    p = await removalStep(p, test);
    note('instructions (ddmin)');
    p = await tokenStep(p, test);
    note('tokens that order nothing');
    // A smaller loop or micro-op range can free another field or instruction: repeat to a fixpoint.
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const before = toBundleKey(p);
      p = await reduceFields(p, test);
      note('fields');
      p = await removalStep(p, test);
      p = await tokenStep(p, test);
      note('instructions again');
      if (toBundleKey(p) === before) break;
    }
    p = await zeroData(p, test);
    note('DRAM data');
    const names = targets.map((n) => targetNameFor(n, p)!);
    return { bundle: toBundle(p), targets: names, signature: sig, before: original.insnCount, after: p.insns.length, stats: oracle.stats, seconds: (Date.now() - started) / 1000, steps };
  } finally {
    await oracle.close();
  }
}
