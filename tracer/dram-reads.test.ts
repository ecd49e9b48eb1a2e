/**
 * The dram.load stream (docs/trace-schema.md §DRAM reads): its canonical form does not depend on
 * the order or the split of a target's reads; fsim reports each data row widened to bus beats;
 * the divergence report names the DRAM extent a wrong LOAD read (fsim with the load-row fault),
 * says the reads agree when only the placement is wrong (load-offset), and leaves out a target
 * that cannot report reads instead of calling its empty stream a difference.
 */
import { describe, expect, it } from 'vitest';
import { insnBytes } from '../runtime/bundle/bundle.js';
import { resolveConfig } from '../runtime/config/fixtures.js';
import type { EventSink } from '../runtime/contract/events.js';
import type { Target } from '../runtime/contract/target.js';
import { decodeProgram } from '../runtime/isa/codec.js';
import type { MemInsn } from '../runtime/isa/insn.js';
import { buildWorkload } from '../runtime/workloads/index.js';
import { createTarget } from '../targets/registry.js';
import { diffTargets } from './diff-targets.js';
import { readExtent, readExtentsGroup } from './dram-reads.js';
import { renderTextReport } from './report/text-report.js';
import { makeTraceSpec } from './spec.js';
import { TraceStore } from './store/trace-store.js';

const extents = (reads: number[]) => {
  const g = readExtentsGroup(5, reads)!;
  return [...g.addrs].map((k) => ({ k, ...readExtent(g.data.subarray(8 * k, 8 * k + 8)) }));
};

describe('dram.load canonical form', () => {
  it('is the union of the reported ranges, ascending, whatever their order and split', () => {
    // Two rows [0x100, 0x130) and [0x200, 0x230), the first read as two bursts, out of order, one repeated.
    const a = extents([0x200, 0x230, 9, 0x118, 0x130, 7, 0x100, 0x118, 8, 0x200, 0x230, 10]);
    const b = extents([0x100, 0x130, 3, 0x200, 0x230, 4]);
    const want = [
      { k: 0, addr: 0x100, bytes: 0x30 },
      { k: 1, addr: 0x200, bytes: 0x30 },
    ];
    expect(a).toEqual(want);
    expect(b).toEqual(want);
    // Touching rows are one extent.
    expect(extents([0x100, 0x110, 1, 0x110, 0x120, 1])).toEqual([{ k: 0, addr: 0x100, bytes: 0x20 }]);
  });
});

// conv2d-small's first LOAD INP: 3 rows of 6 elements, x_stride 6, padded.
const bundle = buildWorkload('conv2d-small', { config: resolveConfig('default') });
const program = decodeProgram(bundle.params, insnBytes(bundle));
const pc = program.findIndex((i) => i.opcode === 0 && (i as MemInsn).memory_type === 2 && (i as MemInsn).y_size >= 2);
const load = program[pc] as MemInsn;
const inpBytes = bundle.params.elemBytes.inp;

async function diff(targets: string[], make = createTarget) {
  const store = TraceStore.open(':memory:');
  try {
    return await diffTargets({ targets, createTarget: make, bundle, spec: makeTraceSpec({ mode: 'digest' }), store });
  } finally {
    store.close();
  }
}

describe('the report names what a LOAD read', () => {
  it('load-row: the DRAM extent the faulty fsim read, one x_stride after the one fsim read', async () => {
    const { report, runIds } = await diff(['fsim', `fsim+load-row:pc=${pc},by=1`]);
    const f = report.first!;
    expect(f.pc).toBe(pc);
    expect(f.stream).toBe('sram.inp');
    // Rows y = 0..y_size−1 at (dram_base + y·x_stride) elements; with x_stride = x_size they touch: one extent.
    expect(load.x_stride).toBe(load.x_size);
    const start = load.dram_base * inpBytes;
    const bytes = load.y_size * load.x_size * inpBytes;
    expect(f.read).toMatchObject({
      compared: true,
      ordinal: 0,
      extents: { [runIds[0]!]: { addr: start, bytes }, [runIds[1]!]: { addr: start + load.x_stride * inpBytes, bytes } },
      skipped: [],
    });
    expect(f.read!.hint).toMatchObject({ kind: 'read-address', amount: load.x_stride * inpBytes });
    const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
    expect(renderTextReport(report)).toContain(
      `  read     DRAM extent 0 (of 1): fsim+load-row:pc=${pc},by=1 (run ${runIds[1]}) read ${hex(start + load.x_stride * inpBytes)}–${hex(start + load.x_stride * inpBytes + bytes - 1)} (${bytes} bytes) where fsim (run ${runIds[0]}) read ${hex(start)}–${hex(start + bytes - 1)} (${bytes} bytes)\n`,
    );
  });

  it('load-offset: the elements land in the wrong places but the reads agree, and the report says so', async () => {
    const { report } = await diff(['fsim', `fsim+load-offset:pc=${pc},by=1`]);
    expect(report.first!.pc).toBe(pc);
    expect(report.first!.read).toMatchObject({ compared: true, ordinal: null, skipped: [] });
    expect(renderTextReport(report)).toContain('  read     every run read the same DRAM bytes (1 extent): the rows came from the right addresses\n');
  });

  it('a target that cannot report reads is left out, not compared as reading nothing', async () => {
    // fsim behind a board that sees no memory traffic: it says so, and reports no reads.
    const blind = async (name: string): Promise<Target> => {
      const inner = await createTarget(name);
      return {
        name: `${inner.name}-blind`,
        recordsDramReads: false,
        check: (b) => inner.check?.(b),
        run: (req) => inner.run({ ...req, sink: withoutReads(req.sink) }),
        close: () => inner.close(),
      };
    };
    const make = async (name: string) => (name.endsWith('-blind') ? blind(name.slice(0, -6)) : createTarget(name));
    const { report, runIds } = await diff(['fsim', `fsim+load-row:pc=${pc},by=1-blind`], make);
    expect(report.first!.pc).toBe(pc);
    expect(report.first!.read).toMatchObject({ compared: false, skipped: [{ runId: runIds[1], target: `fsim+load-row:pc=${pc},by=1-blind` }] });
    expect(renderTextReport(report)).toMatch(/ {2}read {5}DRAM reads not compared; left out: fsim\+load-row:pc=\d+,by=1-blind \(run \d+\) \(no DRAM reads recorded/);
  });
});

function withoutReads(sink: EventSink): EventSink {
  return new Proxy(sink, { get: (t, k) => (k === 'wantsReads' ? false : k === 'read' ? undefined : Reflect.get(t, k, t)) }) as EventSink;
}
