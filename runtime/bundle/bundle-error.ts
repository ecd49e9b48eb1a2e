import { VtaUserError } from '../errors.js';

/** A bundle file (or bundle) that cannot be used: names the file and what is wrong with it. */
export class BundleError extends VtaUserError {
  override name = 'BundleError';
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`bundle file ${file}: ${problem}`);
  }
}
