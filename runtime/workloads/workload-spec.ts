/**
 * A workload as one string, the spelling of regression case ids: `name[,key=value…][#seed][@config]`,
 * e.g. `conv:C5,scale=4#1@small`, `random#7@block32`, `vec:gemm_tile_4x3@default`. Every command that
 * takes `--workload` reads it with parseWorkloadSpec, so a case id copied from a regression report
 * builds exactly the program that case ran.
 */
import { WorkloadError } from './errors.js';

/** The seed of a generated workload when none is given: the first seed a suite uses (random#1). */
export const DEFAULT_SEED = 1;

export type WorkloadParamValue = number | boolean;

export interface WorkloadSpec {
  name: string;
  params: Record<string, WorkloadParamValue>;
  /** From `#seed`, when the text has one. */
  seed?: number;
  /** From `@config`, when the text has one. */
  config?: string;
}

function paramValue(text: string, key: string, spec: string): WorkloadParamValue {
  if (/^-?\d+$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  throw new WorkloadError(`workload "${spec}": parameter ${key}=${text}: expected an integer, true or false`);
}

export function parseWorkloadSpec(text: string): WorkloadSpec {
  let rest = text.trim();
  let config: string | undefined;
  let seed: number | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    config = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!config) throw new WorkloadError(`workload "${text}": nothing after "@" (expected a configuration, e.g. @small)`);
  }
  const hash = rest.lastIndexOf('#');
  if (hash >= 0) {
    const s = rest.slice(hash + 1);
    if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) throw new WorkloadError(`workload "${text}": seed "#${s}" is not a non-negative integer`);
    seed = Number(s);
    rest = rest.slice(0, hash);
  }
  const [name, ...pairs] = rest.split(',');
  if (!name) throw new WorkloadError(`workload "${text}": no workload name`);
  const params: Record<string, WorkloadParamValue> = {};
  for (const pair of pairs) {
    const m = /^([A-Za-z_]\w*)=(.*)$/.exec(pair);
    if (!m) throw new WorkloadError(`workload "${text}": "${pair}" is not key=value`);
    if (m[1]! in params) throw new WorkloadError(`workload "${text}": parameter ${m[1]} given twice`);
    params[m[1]!] = paramValue(m[2]!, m[1]!, text);
  }
  return { name, params, ...(seed !== undefined ? { seed } : {}), ...(config !== undefined ? { config } : {}) };
}

/**
 * The workload of a spec string with the command's --seed and --config applied: a part written in
 * the string wins over a default, and a flag the user set that contradicts it is an error.
 */
export function resolveWorkloadSpec(text: string, flags: { seed?: number; config?: string }): Required<Omit<WorkloadSpec, 'config'>> & { config: string } {
  const spec = parseWorkloadSpec(text);
  if (spec.seed !== undefined && flags.seed !== undefined && flags.seed !== spec.seed) throw new WorkloadError(`workload "${text}" names seed ${spec.seed} but --seed is ${flags.seed}`);
  if (spec.config !== undefined && flags.config !== undefined && flags.config !== spec.config) throw new WorkloadError(`workload "${text}" names config ${spec.config} but --config is ${flags.config}`);
  return { name: spec.name, params: spec.params, seed: spec.seed ?? flags.seed ?? DEFAULT_SEED, config: spec.config ?? flags.config ?? 'default' };
}

/**
 * `name[,key=value…]`, keys sorted so one workload has one spelling (the inverse of
 * parseWorkloadSpec's first part). Only numbers and booleans are spelled: a structured parameter
 * (a design's capabilities, which a random program records) comes back with the design's target.
 */
export function workloadSpecText(name: string, params: Readonly<Record<string, unknown>> | undefined): string {
  const keys = Object.keys(params ?? {})
    .filter((k) => typeof params![k] === 'number' || typeof params![k] === 'boolean')
    .sort();
  return name + keys.map((k) => `,${k}=${String(params![k])}`).join('');
}
