/**
 * The workload `bundle save` builds, spelled like a regress case id: `NAME[,key=value…][#seed][@config]`
 * (regression/suites.ts caseId), e.g. `conv:C5,scale=4` or `conv:C2,scale=4#1@small`. Values are
 * integers or true/false. A seed or config in the id and a different --seed/--config is an error.
 * (Issue 18 gives every command one shared resolver of case ids; this one serves bundle save until then.)
 */
import { VtaUserError } from '../../runtime/errors.js';

export interface NamedWorkload {
  name: string;
  params?: Record<string, number | boolean>;
  seed: number;
  config: string;
}

function value(id: string, key: string, text: string): number | boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?\d+$/.test(text)) return Number(text);
  throw new VtaUserError(`--workload "${id}": parameter ${key}=${text} is not an integer or true/false`);
}

function pick(id: string, what: string, inId: string | undefined, option: string | undefined, dflt: string): string {
  if (inId !== undefined && option !== undefined && inId !== option) throw new VtaUserError(`--workload "${id}" names ${what} ${inId} but --${what} is ${option}`);
  return inId ?? option ?? dflt;
}

export function parseWorkloadId(id: string, options: { seed?: string; config?: string }): NamedWorkload {
  const m = /^([^,#@]+)((?:,[^,#@=]+=[^,#@]*)*)(?:#([^@]*))?(?:@(.+))?$/.exec(id);
  if (!m) throw new VtaUserError(`--workload "${id}": expected NAME[,key=value…][#seed][@config]`);
  const [, name, paramText, seedInId, configInId] = m;
  const params = Object.fromEntries(
    paramText!
      .split(',')
      .slice(1)
      .map((kv) => {
        const [key, text] = kv.split('=') as [string, string];
        return [key, value(id, key, text)];
      }),
  );
  const seed = pick(id, 'seed', seedInId, options.seed, '0');
  if (!/^\d+$/.test(seed)) throw new VtaUserError(`--seed "${seed}": expected a non-negative integer`);
  return { name: name!, ...(Object.keys(params).length ? { params } : {}), seed: Number(seed), config: pick(id, 'config', configInId, options.config, 'default') };
}
