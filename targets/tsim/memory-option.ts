/**
 * Which memory serves the RTL's VTAMemDPI calls in a tsim run (harness/memory_choice.h): the
 * default in-order model, or the emulated board (`emu:SEED`, harness/emu_memory.h) whose seeded
 * latencies, reordering and stalls are what an FPGA's memory system does to the design. A
 * run-time argument of the simulator process, so it never causes a rebuild.
 *
 * Target names: `tsim[:variant][@memory]`, `tsim=DESIGN.json[@memory]`, e.g. `tsim@emu:7`,
 * `tsim:in-order-reads@emu:7`, `tsim=my/design.json@emu:7`.
 */
import { VtaUserError } from '../../runtime/errors.js';

export type TsimMemory = { kind: 'in-order' } | { kind: 'emu'; seed: number };

/** A memory choice or tsim target name that cannot be understood. */
export class TsimMemoryError extends VtaUserError {
  override name = 'TsimMemoryError';
}

export function parseTsimMemory(text: string): TsimMemory {
  if (text === 'in-order') return { kind: 'in-order' };
  const m = /^emu:(\d{1,15})$/.exec(text);
  if (!m) throw new TsimMemoryError(`tsim memory must be in-order or emu:SEED (SEED a decimal integer below 10^15), got "${text}"`);
  return { kind: 'emu', seed: Number(m[1]) };
}

/** Checks a memory given as an object (from TypeScript callers). */
export function checkTsimMemory(m: TsimMemory): TsimMemory {
  if (m.kind === 'in-order') return m;
  if (m.kind !== 'emu' || !Number.isSafeInteger(m.seed) || m.seed < 0 || m.seed >= 1e15) {
    throw new TsimMemoryError(`tsim memory: emu needs a seed that is an integer in [0, 10^15), got ${JSON.stringify(m)}`);
  }
  return m;
}

/** `in-order` or `emu:SEED`, the form parseTsimMemory reads. */
export function memoryLabel(m: TsimMemory): string {
  return m.kind === 'emu' ? `emu:${m.seed}` : 'in-order';
}

/** Arguments of the simulator process that select this memory. */
export function memoryArgs(m: TsimMemory): string[] {
  return ['--memory', memoryLabel(m)];
}

/**
 * The parts of a target name `tsim[:variant][@memory]` or `tsim=DESIGN.json[@memory]` (a design
 * description file, docs/design-description.md; the memory suffix is the last `@in-order` or
 * `@emu:SEED`, so a path may hold other `@`s).
 */
export function parseTsimTargetName(name: string): { variant?: string; design?: string; memory?: TsimMemory } {
  const d = /^tsim=(.+?)(?:@(in-order|emu:[^@]*))?$/.exec(name);
  if (d) {
    if (d[1] === '') throw new TsimMemoryError(`"${name}": tsim= needs the path of a design description`);
    return { design: d[1]!, ...(d[2] !== undefined ? { memory: parseTsimMemory(d[2]) } : {}) };
  }
  const m = /^tsim(?::([^@]+))?(?:@(.+))?$/.exec(name);
  if (!m) throw new TsimMemoryError(`"${name}" is not a tsim target name; expected tsim[:variant][@in-order|@emu:SEED] or tsim=DESIGN.json[@…]`);
  return { ...(m[1] !== undefined ? { variant: m[1] } : {}), ...(m[2] !== undefined ? { memory: parseTsimMemory(m[2]) } : {}) };
}
