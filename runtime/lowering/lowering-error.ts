import { VtaUserError } from '../errors.js';

/** A layer or network this lowering cannot put on the given configuration (names the layer and the limit). */
export class LoweringError extends VtaUserError {
  override name = 'LoweringError';
}
