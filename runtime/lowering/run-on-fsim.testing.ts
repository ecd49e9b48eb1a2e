/**
 * Test helper (not part of the runtime's build graph for users): run a lowered bundle on fsim and
 * report, per output, whether its bytes equal the golden `expected`, and where the first
 * difference is.
 */
import type { ProgramBundle } from '../bundle/bundle.js';
import { createFsimTarget } from '../../targets/fsim/fsim-target.js';
import { nullSink } from '../../targets/fsim/testing.js';

export interface OutputCheck {
  status: string;
  /** Output names whose bytes differ, with the first differing byte. */
  wrong: string[];
  cycles: number;
}

export async function runOnFsim(bundle: ProgramBundle): Promise<OutputCheck> {
  const fsim = createFsimTarget();
  const r = await fsim.run({ bundle, sink: nullSink });
  await fsim.close();
  const wrong: string[] = [];
  for (const o of r.outputs) {
    const want = bundle.expected?.[o.name];
    if (!want) {
      wrong.push(`${o.name}: no expected bytes`);
      continue;
    }
    const at = want.findIndex((v, i) => v !== o.bytes[i]);
    if (at >= 0 || want.length !== o.bytes.length) wrong.push(`${o.name}: byte ${at} is ${o.bytes[at]}, expected ${want[at]}`);
  }
  return { status: r.message ? `${r.status}: ${r.message}` : r.status, wrong, cycles: r.counters.cycles };
}
