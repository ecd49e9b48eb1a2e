/**
 * One board of a pool: runs one job at a time and says whether the board is still reachable
 * afterwards. Two kinds: in this thread (events can reach a sink here), or in a piscina worker of
 * its own (board-worker.ts) — the pool's "one worker per board" — where a run brings back its
 * outputs, counters and trace-unit records but no events, since a sink cannot cross threads.
 */
import { Piscina } from 'piscina';
import type { ProgramBundle } from '../../../runtime/bundle/bundle.js';
import { repoPath } from '../../../runtime/repo.js';
import type { BoardRecord } from '../../../runtime/contract/board-digest.js';
import type { EventSink } from '../../../runtime/contract/events.js';
import type { RunLimits, RunResult } from '../../../runtime/contract/target.js';
import type { Endpoint } from './agent-client.js';
import type { FpgaTarget } from './fpga-target.js';

export interface PoolJob {
  bundle: ProgramBundle;
  sink?: EventSink;
  limits?: RunLimits;
}

export interface BoardOutcome {
  result: RunResult;
  /** The trace unit's records of the run, when the configuration has TRACE_UNIT. */
  boardRecords: BoardRecord[] | undefined;
  /** The connection dropped: the pool takes this board out of rotation. */
  connectionLost: boolean;
}

export interface BoardRunner {
  readonly name: string;
  run(job: PoolJob): Promise<BoardOutcome>;
  close(): Promise<void>;
}

const NO_EVENTS: EventSink = { wantsEvents: false, wantsIters: false, write() {}, iter() {}, retire() {} };

/** A board driven from this thread. */
export function threadRunner(target: FpgaTarget): BoardRunner {
  return {
    name: target.name,
    async run(job) {
      const result = await target.run({ bundle: job.bundle, sink: job.sink ?? NO_EVENTS, ...(job.limits ? { limits: job.limits } : {}) });
      return { result, boardRecords: target.boardRecords, connectionLost: target.connectionLost };
    },
    close: () => target.close(),
  };
}

/** What board-worker.ts receives for one run. */
export interface BoardTask {
  name: string;
  endpoint: Endpoint;
  bundle: ProgramBundle;
  limits?: RunLimits;
}

/** A board driven from a piscina pool of exactly one worker thread (compiled worker in dist/). */
export function workerRunner(board: { name: string; endpoint: Endpoint }, workerFile = repoPath('dist', 'targets', 'fpga', 'host', 'board-worker.js')): BoardRunner {
  const pool = new Piscina({ filename: workerFile, minThreads: 1, maxThreads: 1 });
  return {
    name: board.name,
    async run(job) {
      if (job.sink?.wantsEvents) throw new Error(`${board.name}: a board run in a worker thread cannot stream events; use a board in this thread`);
      const task: BoardTask = { ...board, bundle: job.bundle, ...(job.limits ? { limits: job.limits } : {}) };
      return (await pool.run(task)) as BoardOutcome;
    },
    close: () => pool.destroy(),
  };
}
