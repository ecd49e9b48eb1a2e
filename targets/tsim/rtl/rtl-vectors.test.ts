/**
 * Our RTL against the recorded upstream-fsim programs (fixtures/vectors, default configuration):
 * every output byte must equal the recorded one. The two programs whose recorded result is C++
 * undefined behaviour upstream (shift amounts ≥ 32, `implementation_defined`) are compared with
 * the project's fsim instead, whose documented rule the RTL follows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/config/fixtures.js';
import { buildWorkload } from '../../../runtime/workloads/index.js';
import { vectorPrograms } from '../../../runtime/workloads/vector-programs.js';
import { createFsimTarget } from '../../fsim/fsim-target.js';
import { createTsimTarget, type TsimTarget } from '../target.js';
import { RecordingSink } from '../testing/bundles.js';

const params = resolveConfig('default');
let tsim: TsimTarget;

beforeAll(async () => {
  tsim = createTsimTarget({ config: 'default', idleCycles: 20_000 });
  await tsim.prepare(params);
}, 600_000);
afterAll(async () => tsim.close());

const limits = { maxCycles: 1_000_000, timeoutMs: 120_000 };
const hex = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('hex');

describe('our RTL on the recorded upstream programs', () => {
  it.each(vectorPrograms().map((v) => [v.name, v.implementation_defined] as const))('%s', async (name, implDefined) => {
    const bundle = buildWorkload(`vec:${name}`);
    const r = await tsim.run({ bundle, sink: new RecordingSink(false), limits });
    expect(r.status, r.message).toBe('ok');
    const out = r.outputs[0]!;
    if (implDefined) {
      const f = await createFsimTarget().run({ bundle, sink: new RecordingSink(false), limits });
      expect(hex(out.bytes)).toBe(hex(f.outputs[0]!.bytes));
    } else {
      expect(hex(out.bytes)).toBe(hex(bundle.expected![out.name]));
    }
  });
});
