/**
 * Errors a tsim user can cause: a probe map or RTL description that is wrong, an RTL that does
 * not build, Verilator missing. Each names the file (and entry) to fix.
 */
import { VtaUserError } from '../../runtime/errors.js';

/** A probe map that is malformed or names a signal the design does not have. */
export class ProbeMapError extends VtaUserError {
  override name = 'ProbeMapError';
  constructor(
    readonly file: string,
    readonly entry: string,
    problem: string,
  ) {
    super(`${file}: ${entry}: ${problem}`);
  }
}

/** An RTL description (bring-your-own RTL JSON or variant) that cannot be used. */
export class RtlDescriptionError extends VtaUserError {
  override name = 'RtlDescriptionError';
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** Verilator or the C++ compiler rejected the design; `logFile` holds the full output. */
export class TsimBuildError extends VtaUserError {
  override name = 'TsimBuildError';
  constructor(
    message: string,
    readonly logFile?: string,
  ) {
    super(message);
  }
}
