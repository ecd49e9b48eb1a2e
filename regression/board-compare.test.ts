import { describe, expect, it } from 'vitest';
import { boardMismatchText, firstBoardMismatch } from './board-compare.js';
import type { BoardRecord } from '../runtime/contract/board-digest.js';

const rec = (pc: number, digest: number, module: BoardRecord['module'] = 'compute'): BoardRecord => ({ pc, module, digest });

describe('trace-unit records against board digests', () => {
  const want = [rec(0, 1, 'load'), rec(1, 2), rec(2, 3, 'store')];
  it('agree in any order', () => {
    expect(firstBoardMismatch(want, [want[2]!, want[0]!, want[1]!])).toBeUndefined();
  });
  it('the lowest pc whose digest differs', () => {
    expect(firstBoardMismatch(want, [rec(0, 1, 'load'), rec(1, 9), rec(2, 8, 'store')])).toEqual({ pc: 1, want: rec(1, 2), got: rec(1, 9) });
  });
  it('a missing record is a mismatch at its pc', () => {
    expect(firstBoardMismatch(want, [rec(0, 1, 'load'), rec(2, 3, 'store')])).toEqual({ pc: 1, want: rec(1, 2) });
    expect(firstBoardMismatch(want, want.slice(0, 2))).toEqual({ pc: 2, want: rec(2, 3, 'store') });
  });
  it('a wrapped ring: only the records it holds are compared, each with its pc', () => {
    expect(firstBoardMismatch(want, [rec(2, 3, 'store'), rec(1, 2)], true)).toBeUndefined();
    expect(firstBoardMismatch(want, [rec(2, 3, 'store'), rec(1, 2)], false)).toEqual({ pc: 0, want: rec(0, 1, 'load') });
    expect(firstBoardMismatch(want, [rec(2, 4, 'store'), rec(1, 2)], true)).toEqual({ pc: 2, want: rec(2, 3, 'store'), got: rec(2, 4, 'store') });
    expect(firstBoardMismatch(want, [rec(1, 2), rec(1, 2)], true)).toEqual({ pc: 1, want: rec(1, 2), got: rec(1, 2) });
    expect(firstBoardMismatch(want, [rec(7, 2)], true)).toEqual({ pc: 7, got: rec(7, 2) });
  });
  it('names the instruction and both digests', () => {
    expect(boardMismatchText('tsim', 'fsim', { pc: 1, want: rec(1, 2), got: rec(1, 0xabc) }, 'GEMM')).toBe('tsim trace-unit record of #1 GEMM differs from fsim\'s board digest: unit compute 0x00000abc, fsim compute 0x00000002');
  });
});
