/**
 * Target creation with a boards file given by option (`--boards FILE`) rather than found in the
 * environment: fpga:<board> and fpga:* resolve through that file, every other name as usual.
 * Passed explicitly (not by setting $VTA_TRACE_BOARDS) so that worker threads, which get the
 * file in their task messages, and several commands in one process never see each other's file.
 */
import { createTarget } from '../../registry.js';
import type { Target } from '../../target.js';
import { createFpgaTarget } from './create-fpga-target.js';

/** createTarget itself when no file is given. */
export function targetFactoryWithBoards(boardsFile: string | undefined): (name: string) => Promise<Target> {
  if (boardsFile === undefined) return createTarget;
  return (name) => (name.startsWith('fpga:') ? createFpgaTarget(name, { boardsFile }) : createTarget(name));
}
