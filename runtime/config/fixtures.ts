import { existsSync, readdirSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { repoPath } from '../repo.js';
import { didYouMean } from '../suggest.js';
import { loadConfigFile, type VtaParams } from './config.js';

/** Names of the configurations shipped in fixtures/configs (file name without .json). */
export function fixtureConfigNames(): string[] {
  return readdirSync(repoPath('fixtures', 'configs'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** Load a shipped configuration by name (`default`, `small`, …) or any file path. */
export function resolveConfig(nameOrPath = 'default'): VtaParams {
  if (nameOrPath.endsWith('.json') || nameOrPath.includes('/')) return loadConfigFile(nameOrPath);
  const file = repoPath('fixtures', 'configs', `${nameOrPath}.json`);
  if (!existsSync(file)) {
    throw new ConfigError('(name)', `no fixture config "${nameOrPath}"${didYouMean(nameOrPath, fixtureConfigNames())}; known: ${fixtureConfigNames().join(', ')}`);
  }
  return loadConfigFile(file);
}

/**
 * The shipped fixture whose configuration is `p` (same canonical hash), if any: bundle files and
 * stored runs keep the configuration itself, and users would rather read "small" than a hash.
 */
export function fixtureNameOf(p: VtaParams): string | undefined {
  return fixtureConfigNames().find((name) => {
    try {
      return resolveConfig(name).hash === p.hash;
    } catch {
      return false;
    }
  });
}
