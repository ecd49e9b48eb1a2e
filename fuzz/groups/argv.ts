/**
 * Argument vectors: a command, options of that command (and of others) with values from the
 * edges of every range (negative, zero, 2^31, 2^53, fractions, exponents, text, line breaks),
 * and stray positional arguments. Work is kept small: gemm on the small configuration, fsim
 * targets only, regress over a filter that matches nothing; the board agent, which serves until
 * stopped, is left out.
 */
import { join } from 'node:path';
import type { FuzzCase, FuzzGroup } from '../fuzz-case.js';
import type { Rng } from '../rng.js';
import { caseDir } from './files.js';

const NUMBERS = ['-1', '0', '1', '8', '2147483647', '2147483648', '4294967296', '9007199254740993', '1e3', '0.5', '0x10', '', ' 7', 'abc', '1\n2', '99999999999999999999999'];
const WINDOWS = ['0:5', '5:0', ':', '3', '1:', ':4', '-1:2', 'a:b', '0:99999999999999999999', '1e3:2e3', ''];

interface OptionSpec {
  flag: string;
  values: (rng: Rng, dir: string) => string | undefined;
}

const num = (): OptionSpec['values'] => (rng) => rng.pick(NUMBERS);
const flag = (): OptionSpec['values'] => () => undefined;

const COMMON: Record<string, OptionSpec['values']> = {
  '--json': flag(),
  '--config': (rng, dir) => rng.pick(['small', 'nope', join(dir, 'missing.json'), '', '../x.json']),
  '--seed': num(),
};

const COMMANDS: Record<string, { fixed: (dir: string) => string[]; options: Record<string, OptionSpec['values']>; positional: string[] }> = {
  run: {
    fixed: () => ['run', '--workload', 'gemm', '--config', 'small'],
    options: { ...COMMON, '--target': (rng) => rng.pick(['fsim', 'fsim+gemm-lane:pc=4,lane=1', 'fsim+nope', 'nope', '']), '--timeout-ms': num(), '--workload': (rng) => rng.pick(['gemm', 'nope', 'conv:C99', '']) },
    positional: ['extra'],
  },
  diff: {
    fixed: (dir) => ['diff', 'fsim', 'fsim', '--workload', 'gemm', '--config', 'small', '--db', join(dir, 'trace.db')],
    options: {
      ...COMMON,
      '--window': num(),
      '--timeout-ms': num(),
      '--mode': (rng) => rng.pick(['digest', 'sram', 'outputs', 'nope', '']),
      '--insn': (rng) => rng.pick(WINDOWS),
      '--cycles': (rng) => rng.pick(WINDOWS),
      '--buffers': (rng) => rng.pick(['acc', 'acc,wgt', 'nope', '', ',']),
      '--kinds': (rng) => rng.pick(['sram.acc', 'nope', '']),
      '--db': (rng, dir) => rng.pick([join(dir, 'sub', 'deeper', 'trace.db'), dir, '/dev/null', join(dir, 'trace.db')]),
    },
    positional: ['fsim', 'nope', '1'],
  },
  show: {
    fixed: (dir) => ['show', '1', '--db', join(dir, 'missing.db')],
    options: { '--limit': num(), '--insn': (rng) => rng.pick(WINDOWS), '--stream': (rng) => rng.pick(['sram', 'nope', '']) },
    positional: ['2'],
  },
  runs: { fixed: (dir) => ['runs', '--db', join(dir, 'missing.db')], options: { '--json': flag() }, positional: ['x'] },
  regress: {
    fixed: () => ['regress', '--filter', '^no case has this id$', '--allow-no-cases', '--no-results', '--no-progress'],
    options: {
      '--jobs': (rng) => rng.pick([...NUMBERS, 'fsim=2', 'fsim=0', 'fsim=2147483648', '=2', 'fsim=1,tsim=1']),
      '--case-timeout-ms': num(),
      '--shard': (rng) => rng.pick(['1/2', '0/2', '3/2', '1/0', '1/99999999999', 'a/b', '']),
      '--suite': (rng) => rng.pick(['smoke', 'nope', '']),
      '--compare': (rng) => rng.pick(['outputs', 'digests', 'nope']),
      '--junit': (rng, dir) => rng.pick([dir, join(dir, 'sub', 'j.xml'), '/dev/null']),
      '--filter': (rng) => rng.pick(['(', '^no case$', '[']),
    },
    positional: ['extra'],
  },
  tps: { fixed: () => ['tps', '--config', 'small'], options: { ...COMMON, '--layer': (rng) => rng.pick(['C2', 'C99', '']) }, positional: [] },
  perf: { fixed: (dir) => ['perf', '--results', join(dir, 'missing.db')], options: { '--threshold': num(), '--workload': (rng) => rng.pick(['(', 'gemm']) }, positional: [] },
  bundle: {
    fixed: (dir) => ['bundle', 'save', '--workload', 'gemm', '--config', 'small', '-o', join(dir, 'b.vtab')],
    options: { '--seed': num(), '-o': (rng, dir) => rng.pick([dir, join(dir, 'sub', 'b.vtab'), '/dev/null']) },
    positional: [],
  },
  workloads: { fixed: () => ['workloads'], options: {}, positional: ['x'] },
  merge: { fixed: (dir) => ['merge', join(dir, 'out.db'), join(dir, 'missing.db')], options: {}, positional: [] },
};

export const argvGroup: FuzzGroup = {
  name: 'argument vectors',
  prepare: () => undefined,
  make(rng, index, _base, dir): FuzzCase {
    const d = caseDir(dir, index);
    const name = rng.pick(Object.keys(COMMANDS));
    const c = COMMANDS[name]!;
    const argv = c.fixed(d);
    const names: string[] = [];
    const options = Object.keys(c.options);
    for (let k = rng.int(1, 3); k > 0 && options.length; k--) {
      const opt = rng.pick(options);
      const value = c.options[opt]!(rng, d);
      argv.push(opt, ...(value === undefined ? [] : [value]));
      // The value, or a part of it after a target's "+" (a fault is named without its target).
      const shownValue = value === undefined ? [] : value.trim().split('\n')[0]!.split('+').filter((v) => v.length > 0);
      names.push(opt.replace(/^-+/, ''), ...shownValue.map((v) => v.slice(0, 20)));
    }
    if (rng.chance(0.1) && c.positional.length) {
      const p = rng.pick(c.positional);
      argv.push(p);
      names.push(p);
    }
    // The files of the fixed part are input too: a message may be about one of them (a missing database).
    names.push(...argv.filter((a) => a.includes('/')));
    // commander's "too many arguments for 'regress'" names the command, not the stray argument.
    names.push(`'${name}'`);
    return { label: argv.join(' '), argv, names };
  },
};
