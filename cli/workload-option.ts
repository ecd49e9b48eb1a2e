/**
 * `--workload`, `--seed` and `--config` as diff, run and bundle save take them: the workload in the
 * spelling of a regression case id (`conv:C5,scale=4#1@small`, runtime/workloads/workload-spec.ts),
 * with one seed default for every command.
 */
import type { Command } from 'commander';
import type { ProgramBundle } from '../runtime/bundle/bundle.js';
import type { Capabilities } from '../runtime/capabilities.js';
import { resolveConfig } from '../runtime/config/fixtures.js';
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
  const bundle = buildWorkload(spec.name, { config: resolveConfig(spec.config), seed: spec.seed, params: spec.params, ...(capabilities ? { capabilities } : {}) });
  return { bundle, config: spec.config, seed: spec.seed };
}
