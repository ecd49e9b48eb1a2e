/**
 * Errors a user can cause. Each carries what is needed to act on it and is printed by the CLI
 * as one line, without a stack trace. Programming errors stay plain `Error`s.
 */
export class VtaUserError extends Error {
  override name = 'VtaUserError';
}

/** A configuration key is missing, has the wrong type, or violates a constraint. */
export class ConfigError extends VtaUserError {
  override name = 'ConfigError';
  constructor(
    readonly key: string,
    readonly constraint: string,
    readonly source?: string,
  ) {
    super(`${source ? `${source}: ` : ''}config key ${key}: ${constraint}`);
  }
}

/** A 128-bit instruction or a micro-op that cannot be decoded or encoded. */
export class InsnError extends VtaUserError {
  override name = 'InsnError';
  constructor(
    message: string,
    readonly index?: number,
  ) {
    super(index === undefined ? message : `instruction #${index}: ${message}`);
  }
}
