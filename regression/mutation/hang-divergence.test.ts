/**
 * A hang's named instruction, on alu:max-imm@rect-8x16 (disassembled by hand with
 * `vta-trace bundle show`: #0 LOAD ACC, #1 LOAD UOP, #2 ALU MAX, #3 STORE OUT to compute / store,
 * #4 LOAD INP nop to load, #5 LOAD UOP nop to compute, #6 FINISH).
 */
import { describe, expect, it } from 'vitest';
import { buildCase } from '../workers/build-case.js';
import { hangDivergence } from './worker.js';

const bundle = buildCase({ id: 'alu:max-imm#1@rect-8x16', workload: 'alu:max-imm', config: 'rect-8x16', seed: 1, targets: ['fsim', 'tsim'], golden: true });

describe('the instruction a hang names', () => {
  it('is the earliest instruction its module had not retired', () => {
    // compute retired #0 and #1: its next is #2; load's next is #4, store's #3.
    const h = hangDivergence(bundle, 'no retire for 200000 cycles | retired load 0 | state load IDLE | retired compute 2 | retired store 0');
    expect(h).toEqual({ signature: 'hang: ALU MAX never retired', divergence: { pc: 2, disasm: expect.stringMatching(/^ALU MAX/) } });
  });

  it('takes the instruction named as never accepted when every earlier one retired', () => {
    const h = hangDivergence(bundle, 'load never accepted #4 LOAD INP (idle with it waiting) | retired load 0 | retired compute 3 | retired store 1');
    expect(h?.divergence.pc).toBe(4);
    expect(h?.signature).toBe('hang: LOAD INP never retired');
  });

  it('names nothing when the message says nothing about retiring', () => {
    expect(hangDivergence(bundle, 'simulator process killed by SIGKILL')).toBeUndefined();
  });
});
