/**
 * Which memory serves the RTL's VTAMemDPI calls in a tsim run (harness/memory_choice.h): the
 * default in-order model, or the emulated board (`emu:SEED`, harness/emu_memory.h) whose seeded
 * latencies, reordering and stalls are what an FPGA's memory system does to the design. A
 * run-time argument of the simulator process, so it never causes a rebuild.
 *
 * Either may end in `+dma`: the bundle is placed at device address DMA_BASE, as a board's driver
 * places it in its DMA region, and the VCR base registers carry DMA_BASE (upstream's tsim driver
 * writes 0 to them, so without `+dma` a design that ignores them passes). The harness checks that
 * every DRAM address of the design lies in the window (harness/memory_choice.h, --data-base).
 *
 * Target names: `tsim[:variant][@memory]`, `tsim=DESIGN.json[@memory]`, e.g. `tsim@emu:7`,
 * `tsim:in-order-reads@emu:7`, `tsim=my/design.json@emu:7`, `tsim@in-order+dma`.
 */
import { VtaUserError } from '../../runtime/errors.js';

export type TsimMemory = ({ kind: 'in-order' } | { kind: 'emu'; seed: number }) & { dma?: true };

/**
 * Device address of the bundle with `+dma`: bit 31, above every bundle address (they stay below
 * 2^31), so OR-ing it in (our RTL and Chisel) and adding it (HLS) give the same address.
 */
export const DMA_BASE = 0x80000000;

/** A memory choice or tsim target name that cannot be understood. */
export class TsimMemoryError extends VtaUserError {
  override name = 'TsimMemoryError';
}

export function parseTsimMemory(text: string): TsimMemory {
  const dma = text.endsWith('+dma') ? ({ dma: true } as const) : {};
  const kind = text.endsWith('+dma') ? text.slice(0, -4) : text;
  if (kind === 'in-order') return { kind: 'in-order', ...dma };
  const m = /^emu:(\d{1,15})$/.exec(kind);
  if (!m) throw new TsimMemoryError(`tsim memory must be in-order or emu:SEED (SEED a decimal integer below 10^15), optionally followed by +dma, got "${text}"`);
  return { kind: 'emu', seed: Number(m[1]), ...dma };
}

/** Checks a memory given as an object (from TypeScript callers). */
export function checkTsimMemory(m: TsimMemory): TsimMemory {
  if (m.dma !== undefined && m.dma !== true) throw new TsimMemoryError(`tsim memory: dma must be true or absent, got ${JSON.stringify(m)}`);
  if (m.kind === 'in-order') return m;
  if (m.kind !== 'emu' || !Number.isSafeInteger(m.seed) || m.seed < 0 || m.seed >= 1e15) {
    throw new TsimMemoryError(`tsim memory: emu needs a seed that is an integer in [0, 10^15), got ${JSON.stringify(m)}`);
  }
  return m;
}

/** `in-order` or `emu:SEED`, with `+dma` if so placed: the form parseTsimMemory reads. */
export function memoryLabel(m: TsimMemory): string {
  return (m.kind === 'emu' ? `emu:${m.seed}` : 'in-order') + (m.dma ? '+dma' : '');
}

/** Arguments of the simulator process that select this memory (and the bundle's placement). */
export function memoryArgs(m: TsimMemory): string[] {
  return ['--memory', m.kind === 'emu' ? `emu:${m.seed}` : 'in-order', ...(m.dma ? ['--data-base', String(DMA_BASE)] : [])];
}

/**
 * The parts of a target name `tsim[:variant][@memory]` or `tsim=DESIGN.json[@memory]` (a design
 * description file, docs/design-description.md; the memory suffix is the last `@in-order` or
 * `@emu:SEED`, either with `+dma`, so a path may hold other `@`s).
 */
export function parseTsimTargetName(name: string): { variant?: string; design?: string; memory?: TsimMemory } {
  const d = /^tsim=(.+?)(?:@(in-order(?:\+dma)?|emu:[^@]*))?$/.exec(name);
  if (d) {
    if (d[1] === '') throw new TsimMemoryError(`"${name}": tsim= needs the path of a design description`);
    return { design: d[1]!, ...(d[2] !== undefined ? { memory: parseTsimMemory(d[2]) } : {}) };
  }
  const m = /^tsim(?::([^@]+))?(?:@(.+))?$/.exec(name);
  if (!m) throw new TsimMemoryError(`"${name}" is not a tsim target name; expected tsim[:variant][@in-order|@emu:SEED] or tsim=DESIGN.json[@…]`);
  return { ...(m[1] !== undefined ? { variant: m[1] } : {}), ...(m[2] !== undefined ? { memory: parseTsimMemory(m[2]) } : {}) };
}
