/**
 * The thread that writes a run's rows (tracer/store/threaded-run-writer.ts) died, failed a commit
 * or stopped answering. The run it was writing is marked interrupted; its committed rows stay.
 */
import { TraceStoreError } from '../errors.js';

export class TraceWriterThreadError extends TraceStoreError {
  override name = 'TraceWriterThreadError';
}
