/**
 * Test support: a target that plays a given script of events — per instruction, its writes in
 * the order given and whether it retires — on the toy bundle's instructions. Tests of the
 * divergence engine build two or three scripts that differ where they choose (an extra or a
 * missing write, a changed payload, an instruction only one run retired) and check the engine's
 * answer against what they built.
 */
import { decodeInsn } from '../../runtime/isa/codec.js';
import { moduleOf } from '../../runtime/isa/insn.js';
import { emptyCounters, type RunRequest, type RunResult, type Target } from '../../runtime/contract/target.js';
import type { IterStream, WriteStream } from '../../runtime/contract/events.js';

export interface ScriptedWrite {
  stream: WriteStream | IterStream;
  addr: number;
  data: Uint8Array;
}

export interface ScriptedInsn {
  writes: ScriptedWrite[];
  /** False: the instruction's writes are reported but it never retires. */
  retire: boolean;
}

/**
 * Instructions past the end of the script are neither written nor retired (a run that stopped);
 * such a run, or one with an unretired instruction, ends as a hang.
 */
export function createScriptedTarget(name: string, script: readonly ScriptedInsn[]): Target {
  return {
    name,
    async close() {},
    async run({ bundle, sink }: RunRequest): Promise<RunResult> {
      const program = bundle.buffers.find((b) => b.role === 'insn')!.bytes;
      const counters = emptyCounters();
      const n = Math.min(script.length, bundle.insnCount);
      for (let pc = 0; pc < n; pc++) {
        const step = script[pc]!;
        const insnBytes = program.subarray(pc * 16, pc * 16 + 16);
        const module = moduleOf(decodeInsn(bundle.params, insnBytes, 0, pc));
        const cycle = pc * 10;
        if (sink.wantsEvents) {
          for (const w of step.writes) {
            if (w.stream === 'gemm.iter' || w.stream === 'alu.iter') {
              if (sink.wantsIters) sink.iter(w.stream, pc, cycle, w.addr, w.data);
            } else sink.write(w.stream, pc, cycle + 1, w.addr, w.data);
          }
          if (step.retire) sink.retire(pc, module, cycle + 2, insnBytes);
        }
        if (step.retire) counters.insns[module]++;
        counters.cycles = cycle + 3;
      }
      const out = bundle.outputs[0];
      // A run that left an instruction unretired ended abnormally, as a real target would say.
      const stopped = script.length < bundle.insnCount || script.some((s) => !s.retire);
      if (stopped) return { status: 'hang', message: 'the script left an instruction unretired', outputs: [], counters };
      return { status: 'ok', outputs: out ? [{ name: out.name, addr: out.addr, bytes: new Uint8Array(out.size) }] : [], counters };
    },
  };
}
