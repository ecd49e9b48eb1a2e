/**
 * Errors a user can cause around boards and the agent: each names the board, file or frame
 * that is wrong, and the CLI prints it as one line.
 */
import { VtaUserError } from '../../runtime/errors.js';

/** The board's DMA memory cannot hold the bundle's address span. */
export class BoardMemoryError extends VtaUserError {
  override name = 'BoardMemoryError';
  constructor(board: string, bytes: number, align: number, available: number) {
    super(`board ${board}: a bundle spanning ${bytes} bytes (aligned to ${align}) does not fit in its ${available}-byte DMA region`);
  }
}

/** A frame that breaks the agent protocol (docs/fpga-protocol.md): too large, truncated, malformed, unexpected. */
export class AgentProtocolError extends VtaUserError {
  override name = 'AgentProtocolError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The agent refused the shared token, or the agent needs one the client does not have. */
export class AgentAuthError extends VtaUserError {
  override name = 'AgentAuthError';
}

/** The connection to a board could not be made or was lost. */
export class BoardConnectionError extends VtaUserError {
  override name = 'BoardConnectionError';
}

/** The boards file (list of {name, host, port, tokenFile}) is missing or wrong. */
export class BoardsConfigError extends VtaUserError {
  override name = 'BoardsConfigError';
}

/** Agent command-line settings that cannot work (address, token, backend options). */
export class AgentConfigError extends VtaUserError {
  override name = 'AgentConfigError';
}
