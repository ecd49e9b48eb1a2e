/**
 * FINISH must wait for every module's last instruction. Expectations reasoned from upstream's fsim
 * (sim_tlpp.cc): it loops over the three module queues from a random start and stops once the
 * last instruction it ran is FINISH, so an instruction no token orders before FINISH can run
 * after it — and then the loop never ends.
 */
import { describe, expect, it } from 'vitest';
import { NO_DEPS, type DepFlags, type Insn, type MemInsn } from '../isa/insn.js';
import { MEM_ID } from '../isa/layout.js';
import { finishOrderProblem } from './finish-order.js';
import { ProgramError } from './program-error.js';
import { checkTokens } from './token-check.js';

const mem = (opcode: 0 | 1, memory_type: number, flags: Partial<DepFlags> = {}): MemInsn => ({
  ...NO_DEPS,
  opcode,
  memory_type,
  sram_base: 0,
  dram_base: 0,
  is_pad_min_value: 0,
  y_size: 0,
  x_size: 0,
  x_stride: 0,
  y_pad_0: 0,
  y_pad_1: 0,
  x_pad_0: 0,
  x_pad_1: 0,
  ...flags,
});
const load = (flags: Partial<DepFlags> = {}) => mem(0, MEM_ID.INP, flags);
const store = (flags: Partial<DepFlags> = {}) => mem(1, MEM_ID.OUT, flags);
/** A compute-module instruction: LOAD UOP of nothing. */
const compute = (flags: Partial<DepFlags> = {}) => mem(0, MEM_ID.UOP, flags);
const FINISH: Insn = { ...NO_DEPS, opcode: 3 };

describe('finishOrderProblem', () => {
  it('a store nothing orders before FINISH is named', () => {
    expect(finishOrderProblem([store(), FINISH])).toEqual({ index: 0, reason: expect.stringMatching(/^the store module's last instruction is not ordered before FINISH #1/) });
  });

  it('a load after its last token push is named, although an earlier load is ordered', () => {
    const p = finishOrderProblem([load({ push_next_dep: 1 }), load(), compute({ pop_prev_dep: 1 }), FINISH]);
    expect(p?.index).toBe(1);
    expect(p?.reason).toMatch(/the load module's last instruction/);
  });

  it('the upstream synchronisation (every module hands a token to compute before FINISH) passes, also through a chain', () => {
    // load → compute → store → compute → FINISH: the load is ordered only through the store's token.
    const chain = [load({ push_next_dep: 1 }), compute({ pop_prev_dep: 1, push_next_dep: 1 }), store({ pop_prev_dep: 1, push_prev_dep: 1 }), compute({ pop_next_dep: 1 }), FINISH];
    expect(finishOrderProblem(chain)).toBeNull();
  });

  it('tokens pair by count: the pop before FINISH waits for the first push, not a later store', () => {
    // Two pushes st2cmp; compute pops once before FINISH (the first push) and once after it.
    const p = finishOrderProblem([store({ push_prev_dep: 1 }), store({ push_prev_dep: 1 }), compute({ pop_next_dep: 1 }), FINISH, compute({ pop_next_dep: 1 })]);
    expect(p).toEqual({ index: 4, reason: 'comes after the last FINISH (#3) in the compute module' });
    const q = finishOrderProblem([store({ push_prev_dep: 1 }), store({ push_prev_dep: 1 }), compute({ pop_next_dep: 1 }), FINISH]);
    expect(q?.index).toBe(1);
  });

  it('a program without FINISH is named', () => {
    expect(finishOrderProblem([load()])).toEqual({ index: 0, reason: 'the program has no FINISH instruction' });
  });
});

describe("the builder's whole-program checks", () => {
  it('refuse a FINISH that does not wait for the store module, naming the store', () => {
    const entries = [store(), FINISH].map((insn, i) => ({ insn, source: { op: i ? 'finish' : 'out tile' } }));
    let error: unknown;
    try {
      checkTokens(entries);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProgramError);
    expect((error as ProgramError).message).toMatch(/^instruction #0 \(out tile\): the store module's last instruction is not ordered before FINISH #1/);
  });
});
