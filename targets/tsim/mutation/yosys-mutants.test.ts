/**
 * The Yosys path (MCY's way) on a tiny design of our own: Yosys lists mutants, each applies and
 * writes back, and the equivalence check tells a real change (proof fails) from none (the
 * unmutated design against itself, and a mutant on a bit nothing reads).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../../../runtime/repo.js';
import { listYosysMutants, yosysEquivalent, yosysMutantPatch, type YosysMutant } from './yosys-mutants.js';

const design = { files: [repoPath('fixtures', 'mutation', 'tiny-accumulator.v')], top: 'tiny_accumulator' };
const haveYosys = spawnSync('yosys', ['-V']).status === 0;

describe.skipIf(!haveYosys)('Yosys mutants of plain Verilog', () => {
  it('lists the asked number of mutants, each a mutate command on our module, the same for the same seed', () => {
    const list = listYosysMutants(design, 8, 3);
    expect(list).toHaveLength(8);
    for (const m of list) {
      expect(m.command).toMatch(/^mutate -mode \S+ -module tiny_accumulator /);
      expect(m.src.some((s) => s.startsWith(design.files[0]!) || /tiny-accumulator\.v:\d+/.test(s))).toBe(true);
    }
    expect(listYosysMutants(design, 8, 3).map((m) => m.command)).toEqual(list.map((m) => m.command));
  });

  it('a mutant that forces the enable changes behaviour: not equivalent; the patch shows the changed netlist line', () => {
    // The "and" of `en && !top` with its first input stuck at 1: accumulates without en.
    const all = listYosysMutants(design, 200, 1);
    const stuck = all.find((m) => m.mode === 'const1' && /-cell \S*logic_and\S* -port A /.test(m.command));
    expect(stuck, all.map((m) => m.command).join('\n')).toBeDefined();
    expect(yosysEquivalent(design, stuck!).equivalent).toBe(false);
    const patch = yosysMutantPatch(design, stuck!);
    expect(patch).toMatch(/^-.*\n\+/m);
  });

  it('the equivalence check proves a no-op mutation equivalent', () => {
    // Inverting a cell input twice is the original: mutate … -mode inv applied to the same bit twice.
    const inv = listYosysMutants(design, 200, 1).find((m) => m.mode === 'inv');
    expect(inv).toBeDefined();
    const twice: YosysMutant = { ...inv!, command: `${inv!.command}; ${inv!.command}` };
    expect(yosysEquivalent(design, twice).equivalent).toBe(true);
  });
});
