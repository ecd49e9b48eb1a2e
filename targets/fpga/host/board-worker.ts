/**
 * The piscina worker of one pool board (board-runner.ts workerRunner): keeps one connection to
 * its agent across runs, like an FpgaTarget in the main thread would, and returns plain data.
 */
import type { BoardOutcome, BoardTask } from './board-runner.js';
import { threadRunner, type BoardRunner } from './board-runner.js';
import { FpgaTarget } from './fpga-target.js';

let board: BoardRunner | undefined;

export default async function runOnBoard(task: BoardTask): Promise<BoardOutcome> {
  board ??= threadRunner(new FpgaTarget({ name: task.name, endpoint: task.endpoint }));
  return board.run({ bundle: task.bundle, ...(task.limits ? { limits: task.limits } : {}) });
}
