/**
 * `--workload`, `--seed` and `--config` as diff, run and bundle save take them: the workload in the
 * spelling of a regression case id (`conv:C5,scale=4#1@small`, runtime/workloads/workload-spec.ts),
 * with one seed default for every command.
 */
import type { Command } from 'commander';
import type { ProgramBundle } from '../runtime/bundle/bundle.js';
import type { Capabilities } from '../runtime/capabilities.js';
import { resolveConfig } from '../runtime/config/fixtures.js';
import { ConfigError, VtaUserError } from '../runtime/errors.js';
import { WorkloadError } from '../runtime/workloads/errors.js';
import { buildWorkload } from '../runtime/workloads/index.js';
import { DEFAULT_SEED, resolveWorkloadSpec } from '../runtime/workloads/workload-spec.js';
import { seedArg } from './int-option.js';

export const WORKLOAD_HELP = 'workload, or a regression case id: name[,key=value…][#seed][@config], e.g. conv:C5,scale=4#1@small (see `vta-trace workloads`)';

/** Adds --config and --seed (no commander defaults: a flag the user set must be told from a default). */
export function addSeedAndConfig(cmd: Command): Command {
  return cmd.option('--config <name|file>', 'VTA configuration: a fixture name or a JSON file (default: default)').option('--seed <n>', `seed of a generated workload, 0 to 2^32−1 (default: ${DEFAULT_SEED})`, seedArg());
}

export interface NamedWorkload {
  bundle: ProgramBundle;
  /** The configuration as the user named it (fixture name or file). */
  config: string;
  seed: number;
}

/** `capabilities`: a design's, which a generated workload keeps to (runtime/capabilities.ts). */
export function buildNamedWorkload(text: string, o: { seed?: number; config?: string }, capabilities?: Capabilities): NamedWorkload {
  const spec = resolveWorkloadSpec(text, { ...(o.seed !== undefined ? { seed: o.seed } : {}), ...(o.config !== undefined ? { config: o.config } : {}) });
  const params = resolveConfig(spec.config);
  let bundle: ProgramBundle;
  try {
    bundle = buildWorkload(spec.name, { config: params, seed: spec.seed, params: spec.params, ...(capabilities ? { capabilities } : {}) });
  } catch (e) {
    // A configuration can be valid and still too small for a workload (a loop count beyond
    // ITER_WIDTH): the builder names the instruction; add the workload and configuration the user
    // gave. Configuration and workload errors name those already.
    if (e instanceof VtaUserError && !(e instanceof ConfigError) && !(e instanceof WorkloadError)) throw new VtaUserError(`workload ${text} on config ${spec.config}: ${e.message}`);
    throw e;
  }
  return { bundle, config: spec.config, seed: spec.seed };
}
