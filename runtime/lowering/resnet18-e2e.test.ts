/**
 * Full-size ResNet-18 (conv2 to the classifier, default configuration) on fsim against the
 * golden reference, layer by layer. About a minute (mostly the golden reference's 1.7 G MACs in
 * plain loops), so it runs only when VTA_NIGHTLY=1 (the nightly job), not in the unit suite.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/fixtures.js';
import { OPERATOR_WORKLOADS } from '../workloads/operator-workloads.js';
import { runOnFsim } from './run-on-fsim.testing.js';

describe('ResNet-18 end to end', () => {
  it.runIf(process.env.VTA_NIGHTLY === '1')('every layer on fsim equals the golden reference (default config, full size)', async () => {
    const bundle = OPERATOR_WORKLOADS.find((w) => w.name === 'resnet18')!.build(resolveConfig('default'), 1, {});
    expect(bundle.outputs).toHaveLength(29); // one per layer: 19 conv, 8 add, pool, fc
    const r = await runOnFsim(bundle);
    expect(r.status).toBe('ok');
    expect(r.wrong).toEqual([]);
  }, 900_000);
});
