/**
 * Two hand-made mutants of vta_alu_row.sv's `ALU_ADD: return a + b;`, for the mutation tests:
 * ADD computing A − B (any ALU ADD case kills it) and ADD written B + A (equivalent by
 * construction). The tests that select them share one instrumented build.
 */
import type { NumberedMutant } from '../../../targets/tsim/mutation/instrument.js';
import type { MutantSet } from '../../../targets/tsim/mutation/rtl-mutants.js';

export function aluAddMutants(set: MutantSet): NumberedMutant[] {
  const f = set.files.find((x) => x.name === 'vta_alu_row.sv')!;
  const at = f.text.indexOf('a + b', f.text.indexOf('ALU_ADD:'));
  if (at <= 0) throw new Error('vta_alu_row.sv has no `ALU_ADD: … a + b` for the hand-made mutants');
  const line = f.text.slice(0, at).split('\n').length;
  const base = { file: f.name, module: 'vta_alu_row', line, start: at, end: at + 5, original: 'a + b' };
  return [
    { ...base, id: 1, operator: 'swap', replacement: 'a - b', key: 'test:add-to-sub' },
    { ...base, id: 2, operator: 'swap', replacement: 'b + a', key: 'test:add-commuted' },
  ];
}
