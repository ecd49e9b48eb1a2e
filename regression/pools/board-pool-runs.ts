/**
 * The fpga kind of a suite that names `fpga:*`: a BoardPool (targets/fpga/host/board-pool.ts)
 * with one worker thread per board of the boards file, instead of N generic threads. A case's
 * fpga:* run goes to the next free board: that board's thread runs the regression worker's usual
 * run task as `fpga:<board>` (one connection, kept from case to case), and the outcome is named
 * fpga:* again with the board that ran it. A board whose connection is lost (or never made) fails
 * only the case it had and leaves the pool; once no board is left, the remaining cases fail with
 * a message naming the lost boards. A run past the case limit is aborted (its thread is replaced)
 * without dropping the board.
 */
import { Piscina } from 'piscina';
import { BoardsConfigError } from '../../targets/fpga/errors.js';
import { boardsFile, loadBoards } from '../../targets/fpga/host/boards-config.js';
import { BoardPool, type PoolAdmission, type PoolBoard } from '../../targets/fpga/host/board-pool.js';
import type { Admit, TaskOutcome } from './kind-pools.js';
import { runWithLimit } from './kind-pools.js';
import type { RunTask, RunTaskResult } from '../workers/tasks.js';

export type BoardRunOutcome = TaskOutcome<RunTaskResult>;

function boardThread(name: string, file: string, workerFile: string, timeoutMs: number): PoolBoard<RunTask, BoardRunOutcome> {
  const piscina = new Piscina({ filename: workerFile, minThreads: 1, maxThreads: 1 });
  const target = `fpga:${name}`;
  return {
    name: target,
    async run(task) {
      // The thread resolves fpga:<name> through the same boards file as the main thread.
      const r = await runWithLimit<RunTaskResult>(piscina, { ...task, target, boardsFile: file }, timeoutMs);
      if (!r.ok) return { result: r, connectionLost: false };
      return { result: { ...r, value: { ...r.value, outcome: { ...r.value.outcome, target: task.target } } }, connectionLost: r.value.boardLost === true };
    },
    close: () => piscina.destroy(),
  };
}

export class BoardPoolRuns {
  private readonly pool: BoardPool<RunTask, BoardRunOutcome>;

  /** One thread per board of `file` (default: the boards file, $VTA_TRACE_BOARDS or ./vta-boards.json; `--boards` gives it). */
  constructor(workerFile: string, timeoutMs: number, file = boardsFile()) {
    const entries = loadBoards(file);
    if (!entries.length) throw new BoardsConfigError(`fpga:*: boards file ${file} lists no board`);
    const boards = entries.map((b) => boardThread(b.name, file, workerFile, timeoutMs));
    this.pool = new BoardPool(boards, (message) => ({
      ok: true,
      seconds: 0,
      value: { outcome: { target: '', status: 'crash', cycles: 0, message }, outputsHash: '', goldenMismatch: false, boardLost: true },
    }));
  }

  get boards(): string[] {
    return this.pool.boards;
  }

  /** The run `admit` gives (a regression admission) when a board is free; the outcome names the board. */
  async run(admit: Admit, target: string): Promise<BoardRunOutcome> {
    const { board, result } = await this.pool.run((): PoolAdmission<RunTask> => {
      const a = admit();
      if ('after' in a) return a;
      // The runner never cancels board runs (runner.ts): a board run in flight is not abandoned.
      if ('cancelled' in a) throw new Error('a board run cannot be cancelled');
      if (a.task.kind !== 'run') throw new Error(`a board pool runs run tasks, not ${a.task.kind}`);
      return { job: a.task };
    });
    if (!result.ok) return { ...result, message: `${board}: ${result.message}` };
    return { ...result, value: { ...result.value, outcome: { ...result.value.outcome, target, board } } };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
