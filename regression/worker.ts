/** The piscina worker (every pool runs this file): one task in, one small result out. */
import { findDivergence } from './workers/find-divergence.js';
import { runTarget } from './workers/run-target.js';
import type { DivergeTaskResult, RunTaskResult, WorkerTask } from './workers/tasks.js';

export default async function (task: WorkerTask): Promise<RunTaskResult | DivergeTaskResult> {
  return task.kind === 'run' ? runTarget(task) : findDivergence(task);
}
