/**
 * Errors a user of the tracer can cause: a bad trace specification, a database that is not a
 * trace database of this schema version, runs that cannot be compared. Each names what is wrong.
 */
import { VtaUserError } from '../runtime/errors.js';

/** A trace mode, buffer, window or event kind that does not exist or is malformed. */
export class TraceSpecError extends VtaUserError {
  override name = 'TraceSpecError';
}

/** The trace database cannot be used: wrong file, missing run, unreadable content. */
export class TraceStoreError extends VtaUserError {
  override name = 'TraceStoreError';
}

/** The database was written by a vta-trace with another schema version. */
export class SchemaVersionError extends TraceStoreError {
  override name = 'SchemaVersionError';
  constructor(
    readonly file: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `${file}: trace database schema version ${found}, this vta-trace reads version ${supported}` +
        (found > supported ? ' (written by a newer vta-trace: upgrade)' : ' (written by an older vta-trace: re-record the runs or use a new --db file)'),
    );
  }
}

/** Runs that cannot be compared with each other (different bundles, too few runs…). */
export class DivergenceInputError extends VtaUserError {
  override name = 'DivergenceInputError';
}
