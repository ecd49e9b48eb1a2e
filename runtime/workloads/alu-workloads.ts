/**
 * ALU conformance workloads: each loads accumulators from DRAM, applies ALU instructions and
 * stores the low bytes. `alu:<op>-imm` uses the immediate form, `alu:<op>-tensor` combines two
 * loaded tensors; `alu:shl-imm` is a left shift written as SHR with a negative immediate (how the
 * compiler emits it); `relu` and `shift-and-scale` are the requantisation steps of a layer.
 * On fork configurations `mul` is the fork's 8-bit multiply (MUL8), the only multiply it has.
 */
import type { VtaParams } from '../config/config.js';
import { ProgramBuilder, type AluOp } from '../builder/program-builder.js';
import { aluApply, relu, shiftAndScale, truncateToInt8, type AluOpName } from '../golden/index.js';
import { boolParam, bytesOf, finishWorkload, intParam, randomInt32, seededRand, type BuilderWorkload, type Rand } from './workload-kit.js';

/** ACC elements each ALU workload processes. */
const ELEMS = 6;

interface AluCase {
  op: AluOp;
  /** Operand B: an immediate or a tensor. */
  imm?: number;
  b?: Int32Array;
}

/** Load A (and B), run the ALU steps on A, store A's low bytes to `out`. */
function aluProgram(p: VtaParams, name: string, seed: number, params: Record<string, unknown>, a: Int32Array, steps: AluCase[], expected: Int8Array) {
  if (a.length !== ELEMS * p.batch * p.blockOut) throw new Error(`${name}: operand A has ${a.length} lanes`);
  const b = new ProgramBuilder(p);
  const tensors = [a, ...steps.flatMap((s) => (s.b ? [s.b] : []))];
  const acc = b.alloc('acc', 'acc', bytesOf(Int32Array.from(tensors.flatMap((t) => [...t]))));
  const out = b.alloc('out', 'out', ELEMS * p.elemBytes.out);
  b.output(out);
  b.at(name, undefined, 'load operands');
  b.load('acc', 0, { buffer: acc, rows: 1, cols: tensors.length * ELEMS });
  let tensor = 1;
  for (const s of steps) {
    b.at(name, undefined, `ALU ${s.op}`);
    if (s.b) {
      // Destination i, source (tensor·ELEMS + i): one loop over the elements.
      b.alu(s.op, { uops: [{ dst: 0, src: tensor++ * ELEMS }], loops: [{ count: ELEMS, dst: 1, src: 1 }] });
    } else {
      b.alu(s.op, { uops: [{ dst: 0 }], loops: [{ count: ELEMS, dst: 1 }] }, { imm: s.imm! });
    }
  }
  b.handOff('compute', 'store');
  b.at(name, undefined, 'store');
  b.store(0, { buffer: out, rows: 1, cols: ELEMS });
  return finishWorkload(b, { name, seed, params }, { out: bytesOf(expected) });
}

/** Operand ranges per op: shifts need amounts in −31..31 (beyond that targets are allowed to differ). */
function operands(op: AluOpName, rand: Rand, n: number): { a: Int32Array; b: Int32Array; imm: number } {
  const a = randomInt32(rand, n);
  if (op === 'shr') return { a, b: randomInt32(rand, n, -12, 12), imm: 1 + rand(12) };
  return { a, b: randomInt32(rand, n), imm: rand(65536) - 32768 };
}

function aluWorkload(opName: 'min' | 'max' | 'add' | 'shr' | 'mul', form: 'imm' | 'tensor'): BuilderWorkload {
  const name = `alu:${opName}-${form}`;
  return {
    name,
    description: `ALU ${opName.toUpperCase()} (${form === 'imm' ? 'immediate' : 'tensor'} form) on ${ELEMS} accumulator elements, golden lane-wise result`,
    build(p, seed, params) {
      const fork = p.aluOpcodes === 'fork' && opName === 'mul';
      const op: AluOp = fork ? 'mul8' : opName;
      const golden: AluOpName = fork ? 'mul8' : opName;
      const { a, b, imm } = operands(golden, seededRand(seed), ELEMS * p.batch * p.blockOut);
      const step: AluCase = form === 'imm' ? { op, imm } : { op, b };
      const result = aluApply(golden, a, form === 'imm' ? imm : b);
      return aluProgram(p, name, seed, params, a, [step], truncateToInt8(result));
    },
  };
}

const shlImm: BuilderWorkload = {
  name: 'alu:shl-imm',
  description: 'left shift as SHR with a negative immediate (as the compiler emits x << n), wrapping to 32 bits',
  build(p, seed, params) {
    const rand = seededRand(seed);
    const a = randomInt32(rand, ELEMS * p.batch * p.blockOut);
    const imm = -(1 + rand(12));
    return aluProgram(p, this.name, seed, params, a, [{ op: 'shr', imm }], truncateToInt8(aluApply('shr', a, imm)));
  },
};

const reluWorkload: BuilderWorkload = {
  name: 'relu',
  description: 'relu as ALU MAX with immediate 0 on accumulators',
  build(p, seed, params) {
    const a = randomInt32(seededRand(seed), ELEMS * p.batch * p.blockOut, -1000, 1000);
    return aluProgram(p, this.name, seed, params, a, [{ op: 'max', imm: 0 }], truncateToInt8(relu(a)));
  },
};

const shiftAndScaleWorkload: BuilderWorkload = {
  name: 'shift-and-scale',
  description: 'requantisation acc >> shift, optional relu, clip to int8 (ALU SHR, MAX, MIN, MAX); params: shift, relu',
  build(p, seed, params) {
    const rand = seededRand(seed);
    const shift = intParam(params, 'shift', 4 + rand(8), 0, 31, this.name);
    const withRelu = boolParam(params, 'relu', false, this.name);
    const a = randomInt32(rand, ELEMS * p.batch * p.blockOut, -(2 ** 20), 2 ** 20);
    const steps: AluCase[] = [
      { op: 'shr', imm: shift },
      ...(withRelu ? [{ op: 'max' as const, imm: 0 }] : []),
      { op: 'min', imm: 127 },
      { op: 'max', imm: -128 },
    ];
    return aluProgram(p, this.name, seed, params, a, steps, shiftAndScale(a, { shift, relu: withRelu }));
  },
};

export const ALU_WORKLOADS: readonly BuilderWorkload[] = [
  ...(['min', 'max', 'add', 'shr', 'mul'] as const).flatMap((op) => [aluWorkload(op, 'imm'), aluWorkload(op, 'tensor')]),
  shlImm,
  reluWorkload,
  shiftAndScaleWorkload,
];
