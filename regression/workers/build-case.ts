/** A case's bundle, built in the worker (run and divergence tasks build the same thing). */
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { buildWorkload } from '../../runtime/workloads/index.js';
import type { CaseSpec } from '../suites.js';
import { commonCapabilities, type Capabilities } from '../../runtime/capabilities.js';
import { loadDesign } from '../../targets/tsim/design.js';
import { parseTsimTargetName } from '../../targets/tsim/memory-option.js';

/** What every design description among the case's targets implements (tsim=FILE). */
function caseCapabilities(spec: CaseSpec): Capabilities | undefined {
  const designs = spec.targets.flatMap((t) => {
    if (!t.startsWith('tsim=')) return [];
    const { design } = parseTsimTargetName(t);
    return design !== undefined ? [loadDesign(design).capabilities] : [];
  });
  return commonCapabilities(designs);
}

export function buildCase(spec: CaseSpec): ProgramBundle {
  const capabilities = caseCapabilities(spec);
  return buildWorkload(spec.workload, {
    config: resolveConfig(spec.config),
    seed: spec.seed,
    ...(spec.params ? { params: { ...spec.params } } : {}),
    ...(capabilities ? { capabilities } : {}),
  });
}
