/** A case's bundle, built in the worker (run and divergence tasks build the same thing). */
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { buildWorkload } from '../../runtime/workloads/index.js';
import type { CaseSpec } from '../suites.js';

export function buildCase(spec: CaseSpec): ProgramBundle {
  return buildWorkload(spec.workload, { config: resolveConfig(spec.config), seed: spec.seed, ...(spec.params ? { params: { ...spec.params } } : {}) });
}
