/**
 * The `mem:` workloads on fsim: the stored bytes equal the golden result on every fixture
 * configuration, and the program still holds the edge it is named for (a LOAD and a STORE with
 * y_size = 0 and x_size ≠ 0), so a builder change cannot quietly turn it into an ordinary load.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/fixtures.js';
import { createFsimTarget } from '../../targets/fsim/fsim-target.js';
import { nullSink } from '../../targets/fsim/testing.js';
import { decodeProgram } from '../isa/codec.js';
import type { MemInsn } from '../isa/insn.js';
import { MEM_ID } from '../isa/layout.js';
import { buildWorkload, listWorkloads } from './index.js';
import { MEM_EDGE_WORKLOADS } from './mem-edge-workloads.js';

const CONFIGS = ['default', 'small', 'batch2', 'rect-8x16', 'block32', 'small-fork'];
const fsim = createFsimTarget();

describe('mem: workloads', () => {
  it('are listed under their family', () => {
    const names = listWorkloads().map((w) => w.name);
    for (const w of MEM_EDGE_WORKLOADS) expect(names).toContain(w.name);
    expect(MEM_EDGE_WORKLOADS.every((w) => w.name.startsWith('mem:'))).toBe(true);
  });

  for (const config of CONFIGS) {
    it(`store the golden bytes on fsim (${config})`, async () => {
      for (const w of MEM_EDGE_WORKLOADS) {
        for (const seed of [1, 2]) {
          const bundle = buildWorkload(w.name, { config: resolveConfig(config), seed });
          const r = await fsim.run({ bundle, sink: nullSink });
          expect(r.status, `${w.name} on ${config}: ${r.message}`).toBe('ok');
          for (const o of r.outputs) expect(o.bytes, `${w.name} on ${config}, output ${o.name}`).toEqual(bundle.expected![o.name]);
        }
      }
    });
  }

  it('mem:empty-rows: the padding row zeroes loaded elements and the empty STORE leaves its target zero', () => {
    const p = resolveConfig('small');
    const bundle = buildWorkload('mem:empty-rows', { config: p, seed: 1 });
    const out = bundle.expected!.out!;
    const e = p.elemBytes.out;
    // Hand-computed from the program: elements 0 and 3 keep their data (not all zero for this
    // seed), 1 and 2 are the padding row, 4 and 5 are what the empty STORE must not write.
    const elem = (i: number) => [...out.subarray(i * e, (i + 1) * e)];
    expect(elem(0).some((v) => v !== 0) && elem(3).some((v) => v !== 0)).toBe(true);
    for (const i of [1, 2, 4, 5]) expect(elem(i).every((v) => v === 0), `element ${i}`).toBe(true);
  });

  it('mem:empty-rows holds a LOAD INP and a STORE with y_size 0 and x_size > 0', () => {
    const bundle = buildWorkload('mem:empty-rows', { config: resolveConfig('small'), seed: 1 });
    const buf = bundle.buffers.find((b) => b.role === 'insn')!;
    const first = bundle.insnAddr - buf.addr;
    const insns = decodeProgram(bundle.params, buf.bytes.subarray(first, first + bundle.insnCount * 16));
    const empty = insns.filter((i): i is MemInsn => (i.opcode === 0 || i.opcode === 1) && (i as MemInsn).y_size === 0 && (i as MemInsn).x_size > 0);
    expect(empty.map((i) => [i.opcode, i.memory_type])).toEqual([
      [0, MEM_ID.INP],
      [1, MEM_ID.OUT],
    ]);
  });
});
