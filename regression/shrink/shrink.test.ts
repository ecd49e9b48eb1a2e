/**
 * Shrinking seeded bugs out of a full-size ResNet-18 layer (conv:C2 on default, 268 instructions):
 * each result still diverges with the original signature — judged afresh by the tracer on the
 * saved-and-loaded file, not by the shrinker's oracle — passes the builder's own checks, and is no
 * larger than a bound derived by hand for that bug. Most tests use fsim against fsim with a
 * seeded fault (no simulator build); one uses an RTL variant under tsim.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { insnBytes, type ProgramBundle } from '../../runtime/bundle/bundle.js';
import { loadBundle, saveBundle } from '../../runtime/bundle/bundle-file.js';
import { decodeProgram } from '../../runtime/isa/codec.js';
import { mnemonic } from '../../runtime/isa/disasm.js';
import { fieldProblem } from '../../runtime/builder/insn-checks.js';
import { checkTokens } from '../../runtime/builder/token-check.js';
import { buildWorkload } from '../../runtime/workloads/index.js';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { createTarget } from '../../targets/registry.js';
import { diffTargets } from '../../tracer/diff-targets.js';
import { makeTraceSpec } from '../../tracer/spec.js';
import { TraceStore } from '../../tracer/store/trace-store.js';
import { NoDivergenceError, shrinkBundle } from './shrink.js';
import { fromBundle } from './program.js';
import { pruneTokens } from './prune-tokens.js';
import { removeInsns } from './remove-insns.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-shrink-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const c2 = buildWorkload('conv:C2', { config: resolveConfig('default'), seed: 1 });

/** The tracer's first divergence on a bundle file (fresh targets, fresh database). */
async function firstDivergence(file: string, targets: string[]) {
  const bundle = loadBundle(file);
  const store = TraceStore.open(join(dir, `${Math.random()}.db`));
  try {
    const { report } = await diffTargets({ targets, createTarget, bundle, spec: makeTraceSpec({ mode: 'digest' }), store, limits: { timeoutMs: 120_000 } });
    const f = report.first!;
    return { values: report.values, stream: f?.stream, insn: f ? mnemonic(bundle.params, decodeProgram(bundle.params, insnBytes(bundle))[f.pc]!) : undefined, bundle };
  } finally {
    store.close();
  }
}

/** The builder's checks, called directly: fields fit, tokens balanced, no deadlock, FINISH last and waiting. */
function builderRefusal(b: ProgramBundle): string | null {
  const insns = decodeProgram(b.params, insnBytes(b));
  for (const i of insns) {
    const p = fieldProblem(b.params, i);
    if (p) return p;
  }
  try {
    checkTokens(insns.map((insn) => ({ insn, source: null })));
  } catch (e) {
    return (e as Error).message;
  }
  return null;
}

const pcOf = (pred: (m: string) => boolean, nth = 0) => decodeProgram(c2.params, insnBytes(c2)).map((i) => mnemonic(c2.params, i)).flatMap((m, pc) => (pred(m) ? [pc] : []))[nth]!;

// Bounds by hand (nothing may read a scratchpad element no instruction wrote, validity.ts): a
// GEMM fault needs the GEMM, what it reads — its INP and WGT loads, ACC set by a GEMM RESET — the
// LOAD UOPs of the two kernels and FINISH, plus the finish handshake (a load and a store
// token to compute; a NOP each at most): 9. A LOAD fault needs the LOAD, the handshake and FINISH:
// 4. An ALU opcode swap MAX→ADD is the GEMM's 9 (it needs a GEMM's negative value to tell
// max(x, 0) from x + 0) plus the ALU: 10.
const faults: [name: string, fault: string, insn: string, stream: string, bound: number][] = [
  ['gemm-lane', `gemm-lane:pc=${pcOf((m) => m === 'GEMM', 20)},lane=3`, 'GEMM', 'sram.acc', 9],
  ['wgt-row', `wgt-row:pc=${pcOf((m) => m === 'LOAD WGT', 3)},row=3`, 'LOAD WGT', 'sram.wgt', 4],
  ['load-offset', `load-offset:pc=${pcOf((m) => m === 'LOAD INP', 10)},by=1`, 'LOAD INP', 'sram.inp', 4],
  ['alu-op', `alu-op:pc=${pcOf((m) => m === 'ALU MAX', 0)},op=2`, 'ALU MAX', 'sram.acc', 10],
];

describe('vta-trace shrink on seeded fsim faults in conv:C2 (268 instructions)', () => {
  it.each(faults)('%s: still diverges with its signature, passes the builder checks, within the bound', async (name, fault, insn, stream, bound) => {
    const before = await firstDivergence(save(c2, `${name}-in.vtab`), ['fsim', `fsim+${fault}`]);
    expect([before.insn, before.stream]).toEqual([insn, stream]);
    const r = await shrinkBundle(c2, ['fsim', `fsim+${fault}`]);
    const file = save(r.bundle, `${name}.vtab`);
    const after = await firstDivergence(file, r.targets);
    expect(after.values).toBe('diverge');
    expect([after.insn, after.stream]).toEqual([insn, stream]);
    expect(builderRefusal(after.bundle)).toBeNull();
    expect(r.after).toBeLessThanOrEqual(bound);
    expect(r.before).toBe(268);
  }, 120_000);

  it('a bundle on which the targets agree is refused as nothing to shrink', async () => {
    await expect(shrinkBundle(c2, ['fsim', 'fsim'])).rejects.toThrow(NoDivergenceError);
  });
});

function save(b: ProgramBundle, name: string): string {
  const f = join(dir, name);
  saveBundle(f, b);
  return f;
}

describe('instruction removal keeps the program valid', () => {
  it('removing every other instruction leaves balanced tokens that pass the builder checks', () => {
    const p = fromBundle(c2);
    const remove = new Set(p.insns.map((_, i) => i).filter((i) => i % 2 === 1 && i < p.insns.length - 1));
    const cut = removeInsns(p, remove);
    expect(() => checkTokens(cut.insns)).not.toThrow();
    // Every kept real instruction is still there, in order.
    const kept = p.insns.filter((x, i) => !remove.has(i) && x.insn.opcode !== 3 && !(x.insn.opcode <= 1 && (x.insn as { x_size: number }).x_size === 0)).map((x) => x.origin);
    expect(cut.insns.filter((x) => x.origin >= 0 && kept.includes(x.origin)).map((x) => x.origin)).toEqual(kept);
  });

  it('token pruning keeps a token that orders a LOAD before the GEMM reading it', () => {
    // conv:C2 as built: pruning drops nothing that orders real instructions, so no LOAD INP loses
    // its push and no GEMM its pop (every GEMM reads what a LOAD before it brought).
    const p = fromBundle(c2);
    const pruned = pruneTokens(p.insns);
    const pops = (xs: typeof p.insns) => xs.filter((x) => x.insn.opcode === 2 && !x.insn.reset_reg && x.insn.pop_prev_dep).length;
    expect(pops(pruned)).toBe(pops(p.insns));
  });
});

describe('vta-trace shrink on an RTL variant (tsim)', () => {
  it('alu-swap on alu:shr-tensor (small): ALU SHR sram.acc kept, within 6 instructions', async () => {
    const b = buildWorkload('alu:shr-tensor', { config: resolveConfig('small'), seed: 1 });
    const r = await shrinkBundle(b, ['fsim', 'tsim:alu-swap']);
    const file = save(r.bundle, 'alu-swap.vtab');
    const after = await firstDivergence(file, r.targets);
    expect([after.values, after.insn, after.stream]).toEqual(['diverge', 'ALU SHR', 'sram.acc']);
    // The bug, not the program: the clean RTL agrees with fsim on the shrunk bundle (a program
    // reading ACC it never wrote made clean tsim diverge too, before validity.ts refused it).
    expect((await firstDivergence(file, ['fsim', 'tsim'])).values).toBe('agree');
    expect(builderRefusal(after.bundle)).toBeNull();
    // LOAD ACC (the operands), LOAD UOP, the ALU SHR and FINISH, plus the two handshake NOPs.
    expect(r.after).toBeLessThanOrEqual(6);
  }, 600_000);
});
