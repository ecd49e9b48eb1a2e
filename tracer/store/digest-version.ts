/**
 * Instruction digests of different definitions (runs.digest_version) mean nothing side by side: a
 * comparison of them would call every instruction different. Whoever compares the digests of
 * several runs checks them here first.
 */
import { DivergenceInputError } from '../errors.js';
import type { RunRow } from './trace-store.js';

/** Runs whose instruction digests follow different definitions. */
export class DigestVersionError extends DivergenceInputError {
  override name = 'DigestVersionError';
  constructor(readonly runs: readonly Pick<RunRow, 'id' | 'digestVersion'>[]) {
    super(
      `runs have instruction digests of different versions (${runs.map((r) => `${r.id}: ${r.digestVersion ?? 'none'}`).join('; ')}): ` +
        'record them again with one vta-trace version',
    );
  }
}

/** Throws DigestVersionError unless every run's digests follow the same definition. */
export function assertSameDigestVersion(runs: readonly Pick<RunRow, 'id' | 'digestVersion'>[]): void {
  if (new Set(runs.map((r) => r.digestVersion)).size > 1) throw new DigestVersionError(runs);
}
