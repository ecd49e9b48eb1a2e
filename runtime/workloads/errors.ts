import { VtaUserError } from '../errors.js';

/** An unknown workload, or parameters it cannot be built with. */
export class WorkloadError extends VtaUserError {
  override name = 'WorkloadError';
}
