/**
 * Errors a user can cause. Each carries what is needed to act on it and is printed by the CLI
 * as one line, without a stack trace. Programming errors stay plain `Error`s.
 */
export class VtaUserError extends Error {
  override name = 'VtaUserError';
}

/** Text made one line: every run of line breaks (and the spaces around them) becomes one space. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ');
}

/**
 * A value from an input file as it may appear in an error line: JSON (so a name with a line
 * break or a control character stays on one line, escaped), cut to `max` characters.
 */
export function shown(v: unknown, max = 60): string {
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  text = oneLine(text);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
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
