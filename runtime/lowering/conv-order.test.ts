/**
 * The compute order of a double-buffered convolution: each tile's requantisation (ALU) must be
 * issued after a GEMM of another tile that follows the tile's own last GEMM, so a core with a
 * second compute pipe can run the ALU beside that GEMM. Read back from the bundle's instructions
 * and source map, not from the lowering's loop.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/fixtures.js';
import { decodeProgram } from '../isa/codec.js';
import { moduleOf } from '../isa/insn.js';
import { MEM_ID } from '../isa/layout.js';
import { OPERATOR_WORKLOADS } from '../workloads/operator-workloads.js';
import { chooseConvPlan } from './conv-plan.js';
import { RESNET18_CONVS } from './conv-shape.js';

const p = resolveConfig('default');

/** Compute-module instructions in program order: kind and the output tile they belong to. */
function computeOrder(name: string) {
  const bundle = OPERATOR_WORKLOADS.find((w) => w.name === name)!.build(p, 1, {});
  const insns = decodeProgram(p, bundle.buffers.find((b) => b.role === 'insn')!.bytes);
  const order: { kind: 'gemm' | 'reset' | 'alu'; tile: string }[] = [];
  insns.forEach((insn, pc) => {
    if (moduleOf(insn) !== 'compute' || (insn.opcode !== 2 && insn.opcode !== 4)) return;
    const loop = bundle.sourceMap[pc]?.loop ?? {};
    const tile = JSON.stringify([loop.b, loop.co, loop.h, loop.w]);
    order.push({ kind: insn.opcode === 4 ? 'alu' : insn.reset_reg ? 'reset' : 'gemm', tile });
  });
  return order;
}

describe('conv lowering order for a second compute pipe', () => {
  for (const s of [RESNET18_CONVS[0]!, RESNET18_CONVS[5]!]) {
    it(`conv:${s.name}: a GEMM of another tile separates every tile's last GEMM from its requantisation`, () => {
      expect(chooseConvPlan(s, p).threads).toBe(2);
      const order = computeOrder(`conv:${s.name}`);
      const tiles = [...new Set(order.map((o) => o.tile))];
      expect(tiles.length).toBeGreaterThan(3);
      for (const tile of tiles.slice(0, -1)) {
        const lastGemm = order.findLastIndex((o) => o.tile === tile && o.kind === 'gemm');
        const firstAlu = order.findIndex((o) => o.tile === tile && o.kind === 'alu');
        expect(firstAlu, tile).toBeGreaterThan(lastGemm);
        const between = order.slice(lastGemm + 1, firstAlu).filter((o) => o.kind === 'gemm' && o.tile !== tile);
        expect(between.length, `tile ${tile}`).toBeGreaterThan(0);
      }
    });
  }

  it('1×1 stride-2 convs (C4, C7, C10) load every other input row only, with a DRAM row stride of two image rows', () => {
    for (const s of RESNET18_CONVS.filter((c) => c.kh === 1 && c.sh === 2)) {
      const bundle = OPERATOR_WORKLOADS.find((w) => w.name === `conv:${s.name}`)!.build(p, 1, {});
      const insns = decodeProgram(p, bundle.buffers.find((b) => b.role === 'insn')!.bytes);
      const inp = insns.filter((i) => moduleOf(i) === 'load' && i.opcode === 0 && i.memory_type === MEM_ID.INP && i.x_size > 0);
      expect(inp.length, s.name).toBeGreaterThan(0);
      // Output rows of the layer: a tile holds at most that many input rows, one per output row.
      const oh = s.h / 2;
      for (const i of inp) {
        expect(i.x_stride, s.name).toBe(2 * s.w);
        expect(i.y_size, s.name).toBeLessThanOrEqual(oh);
      }
    }
  });

  it('the first weight tile is the first load, and every GEMM phase still gets exactly one weight load', () => {
    const bundle = OPERATOR_WORKLOADS.find((w) => w.name === 'conv:C2')!.build(p, 1, {});
    const insns = decodeProgram(p, bundle.buffers.find((b) => b.role === 'insn')!.bytes);
    const loads = insns.filter((i) => moduleOf(i) === 'load' && i.opcode === 0 && i.x_size > 0);
    expect(loads[0]).toMatchObject({ memory_type: MEM_ID.WGT });
    const gemms = insns.filter((i) => i.opcode === 2 && !i.reset_reg).length;
    expect(loads.filter((i) => i.opcode === 0 && i.memory_type === MEM_ID.WGT).length).toBe(gemms);
  });
});
