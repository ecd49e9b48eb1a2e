/**
 * A workload built for a command from its --workload, --config and --seed. A configuration can be
 * valid and still too small for a workload (a GEMM loop count that does not fit ITER_WIDTH, an
 * ACC buffer of one row): the builder's error names the instruction, and this adds the workload
 * and the configuration, which are what the user gave.
 */
import type { ProgramBundle } from '../runtime/bundle/bundle.js';
import { resolveConfig } from '../runtime/config/fixtures.js';
import { ConfigError, VtaUserError } from '../runtime/errors.js';
import { buildWorkload } from '../runtime/workloads/index.js';
import { WorkloadError } from '../runtime/workloads/errors.js';

export function buildWorkloadFor(workload: string, config: string, seed: number): ProgramBundle {
  const params = resolveConfig(config);
  try {
    return buildWorkload(workload, { config: params, seed });
  } catch (e) {
    // A configuration error names its file already, a workload error its workload.
    if (e instanceof VtaUserError && !(e instanceof ConfigError) && !(e instanceof WorkloadError)) {
      throw new VtaUserError(`workload ${workload} on config ${config}: ${e.message}`);
    }
    throw e;
  }
}
