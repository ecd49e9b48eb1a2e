/**
 * `mem:` workloads: memory instructions at the edges of their encoding that the builder never
 * emits, written with `raw()` and checked against a golden result (the builder's own loads and
 * stores are covered by memory-workloads.ts).
 *
 * - `mem:empty-rows`: a LOAD INP and a STORE with `y_size` = 0 but `x_size` ≠ 0. Upstream moves
 *   no data rows then (vta-isa.md §5.2, §5.3: data row y exists for y < `y_size`); the LOAD still
 *   writes its `y_pad_0` + `y_pad_1` rows of padding. A design that decides "no data" from
 *   `x_size` alone reads rows it should not (into the INP elements read back here) or stores
 *   them (into the output elements expected to stay zero).
 *
 * The suite runs them on `tsim@in-order+dma` (the bundle placed at a non-zero device address, as a
 * board does, memory-option.ts), so their DRAM addresses also depend on the VCR base registers.
 */
import type { VtaParams } from '../config/config.js';
import { ProgramBuilder } from '../builder/program-builder.js';
import { NO_DEPS, type MemInsn } from '../isa/insn.js';
import { MEM_ID } from '../isa/layout.js';
import { matmulInt8, truncateToInt8 } from '../golden/index.js';
import { bytesOf, finishWorkload, identityWeights, randomInt8, seededRand, type BuilderWorkload } from './workload-kit.js';

/** INP elements loaded with data, then partly overwritten by the empty LOAD's padding row. */
const DATA_ELEMS = 4;
/** The empty LOAD: sram_base and the width of its one padding row (x_size, no x padding). */
const EMPTY_AT = 1;
const EMPTY_COLS = 2;
/** Output elements the empty STORE would write if it stored a row. */
const UNTOUCHED = 2;

function memInsn(fields: Omit<MemInsn, keyof typeof NO_DEPS | 'is_pad_min_value' | 'y_pad_0' | 'y_pad_1' | 'x_pad_0' | 'x_pad_1'> & Partial<MemInsn>): MemInsn {
  return { ...NO_DEPS, is_pad_min_value: 0, y_pad_0: 0, y_pad_1: 0, x_pad_0: 0, x_pad_1: 0, ...fields };
}

const emptyRows: BuilderWorkload = {
  name: 'mem:empty-rows',
  description: 'LOAD INP and STORE with y_size = 0 and x_size ≠ 0: only the LOAD\'s padding row is written, no data row is read or stored',
  build(p: VtaParams, seed, params) {
    const lanes = p.batch * p.blockIn;
    const rand = seededRand(seed);
    const data = randomInt8(rand, DATA_ELEMS * lanes);
    // What a wrongly read data row would bring in: never zero, so it cannot pass for padding.
    const decoy = randomInt8(rand, EMPTY_COLS * lanes).map((v) => (v === 0 ? 1 : v));
    const b = new ProgramBuilder(p);
    const inp = b.alloc('inp', 'inp', bytesOf(data));
    const decoyBuf = b.alloc('decoy', 'inp', bytesOf(decoy));
    const wgt = b.alloc('wgt', 'wgt', identityWeights(p));
    const out = b.alloc('out', 'out', (DATA_ELEMS + UNTOUCHED) * p.elemBytes.out);
    b.output(out);

    b.at('mem:empty-rows', undefined, 'data, then an empty LOAD over part of it');
    b.load('inp', 0, { buffer: inp, rows: 1, cols: DATA_ELEMS });
    // One padding row of EMPTY_COLS zero elements at EMPTY_AT; its (absent) data row would land
    // right after it. x_stride 0: a design that runs on through rows reads the decoy again.
    b.raw(memInsn({ opcode: 0, memory_type: MEM_ID.INP, sram_base: EMPTY_AT, dram_base: decoyBuf.addr / p.elemBytes.inp, y_size: 0, x_size: EMPTY_COLS, x_stride: 0, y_pad_0: 1 }));
    b.load('wgt', 0, { buffer: wgt, rows: 1, cols: 1 });
    b.handOff('load', 'compute');
    b.at('mem:empty-rows', undefined, 'identity GEMM');
    b.gemm({ uops: [{ dst: 0 }], loops: [{ count: DATA_ELEMS, dst: 1 }] }, { reset: true });
    b.gemm({ uops: [{ dst: 0, src: 0, wgt: 0 }], loops: [{ count: DATA_ELEMS, dst: 1, src: 1 }] });
    b.handOff('compute', 'store');
    b.at('mem:empty-rows', undefined, 'store, then an empty STORE');
    // Two rows: the writer forms the first row's address at start and the next one as it goes.
    b.store(0, { buffer: out, rows: 2, cols: DATA_ELEMS / 2 });
    b.raw(memInsn({ opcode: 1, memory_type: MEM_ID.OUT, sram_base: 0, dram_base: out.addr / p.elemBytes.out + DATA_ELEMS, y_size: 0, x_size: UNTOUCHED, x_stride: UNTOUCHED }));

    // Golden: INP[EMPTY_AT, EMPTY_AT + EMPTY_COLS) zeroed, the rest as loaded; the tail untouched.
    const image = data.slice();
    image.fill(0, EMPTY_AT * lanes, (EMPTY_AT + EMPTY_COLS) * lanes);
    const gemm = truncateToInt8(matmulInt8(image, new Int8Array(identityWeights(p).buffer), DATA_ELEMS * p.batch, p.blockIn, p.blockOut));
    const expected = new Uint8Array((DATA_ELEMS + UNTOUCHED) * p.elemBytes.out);
    expected.set(bytesOf(gemm));
    return finishWorkload(b, { name: 'mem:empty-rows', seed, params }, { out: expected });
  },
};

export const MEM_EDGE_WORKLOADS: readonly BuilderWorkload[] = [emptyRows];
