/**
 * The seeded-bug variants (fixtures/rtl-variants/): each must change the result of a program that
 * exercises its bug and leave a closely related program that does not exercise it correct — so a
 * divergence search has a real, narrow bug to find. Expected bytes are the recorded upstream-fsim
 * outputs (fixtures/vectors).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/config/fixtures.js';
import { buildWorkload } from '../../../runtime/workloads/index.js';
import { createTsimTarget, type TsimTarget } from '../target.js';
import { RecordingSink } from '../testing/bundles.js';

const params = resolveConfig('default');
const limits = { maxCycles: 1_000_000, timeoutMs: 120_000 };
const open: TsimTarget[] = [];
afterAll(async () => Promise.all(open.map((t) => t.close())));

async function matchesRecorded(target: TsimTarget, vec: string): Promise<boolean> {
  const bundle = buildWorkload(`vec:${vec}`);
  const r = await target.run({ bundle, sink: new RecordingSink(false), limits });
  expect(r.status, r.message).toBe('ok');
  const out = r.outputs[0]!;
  return Buffer.compare(Buffer.from(out.bytes), Buffer.from(bundle.expected![out.name]!)) === 0;
}

describe('seeded-bug RTL variants', () => {
  it.each([
    ['uop-late', 'gemm_multi_uop', 'gemm_single_uop'],
    ['alu-swap', 'alu_shr_tensor', 'alu_shr_imm_pos'],
    ['pad-value', 'load_inp_pad_y1', 'load_inp_pad_y0'],
  ])('%s breaks %s but not %s', async (variant, broken, intact) => {
    const t = createTsimTarget({ config: 'default', variant });
    open.push(t);
    await t.prepare(params);
    expect(await matchesRecorded(t, broken)).toBe(false);
    expect(await matchesRecorded(t, intact)).toBe(true);
  }, 600_000);

  it('in-order-reads passes while memory answers in request order (the default model)', async () => {
    const t = createTsimTarget({ config: 'default', variant: 'in-order-reads' });
    open.push(t);
    await t.prepare(params);
    for (const vec of ['matmul_blocked_4x4', 'load_acc_pad_16combos', 'load_wgt_pad_all4']) expect(await matchesRecorded(t, vec)).toBe(true);
  }, 600_000);
});
