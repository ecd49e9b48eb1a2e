/**
 * `--workload`, `--seed` and `--config` as diff, run and bundle save take them: the workload in the
 * spelling of a regression case id (`conv:C5,scale=4#1@small`, runtime/workloads/workload-spec.ts),
 * with one seed default for every command.
 */
import type { Command } from 'commander';
import type { ProgramBundle } from '../runtime/bundle/bundle.js';
import { resolveConfig } from '../runtime/config/fixtures.js';
import { VtaUserError } from '../runtime/errors.js';
import { buildWorkload } from '../runtime/workloads/index.js';
import { DEFAULT_SEED, resolveWorkloadSpec } from '../runtime/workloads/workload-spec.js';

export const WORKLOAD_HELP = 'workload, or a regression case id: name[,key=value…][#seed][@config], e.g. conv:C5,scale=4#1@small (see `vta-trace workloads`)';

/** Adds --config and --seed (no commander defaults: a flag the user set must be told from a default). */
export function addSeedAndConfig(cmd: Command): Command {
  return cmd.option('--config <name|file>', 'VTA configuration: a fixture name or a JSON file (default: default)').option('--seed <n>', `seed of a generated workload (default: ${DEFAULT_SEED})`);
}

export function parseSeed(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new VtaUserError(`--seed "${text}": expected a non-negative integer`);
  return Number(text);
}

export interface NamedWorkload {
  bundle: ProgramBundle;
  /** The configuration as the user named it (fixture name or file). */
  config: string;
  seed: number;
}

export function buildNamedWorkload(text: string, o: { seed?: string; config?: string }): NamedWorkload {
  const spec = resolveWorkloadSpec(text, { seed: parseSeed(o.seed), ...(o.config !== undefined ? { config: o.config } : {}) });
  const bundle = buildWorkload(spec.name, { config: resolveConfig(spec.config), seed: spec.seed, params: spec.params });
  return { bundle, config: spec.config, seed: spec.seed };
}
