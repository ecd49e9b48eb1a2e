/** Errors a user can cause with a results database: wrong file, other schema version. */
import { VtaUserError } from '../../runtime/errors.js';

/** The file cannot be used as a results database (missing, not SQLite, not ours). */
export class ResultsDbError extends VtaUserError {
  override name = 'ResultsDbError';
}

/** The results database was written by a vta-trace with another results schema version. */
export class ResultsSchemaVersionError extends ResultsDbError {
  override name = 'ResultsSchemaVersionError';
  constructor(
    readonly file: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `${file}: results database schema version ${found}, this vta-trace reads version ${supported}` +
        (found > supported ? ' (written by a newer vta-trace: upgrade)' : ' (written by an older vta-trace: start a new --results file)'),
    );
  }
}
