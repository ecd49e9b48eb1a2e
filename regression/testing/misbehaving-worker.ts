/**
 * A pool worker for tests of the runner's failure handling: target "test:hang" spins forever
 * (only terminating the thread stops it), "test:crash" ends its worker thread mid-task,
 * "test:throw" throws; "test:ok" runs the case on fsim. Everything else goes to the real worker.
 */
import realWorker from '../worker.js';
import type { WorkerTask } from '../workers/tasks.js';

export default async function (task: WorkerTask): Promise<unknown> {
  if (task.kind === 'run' && task.target.startsWith('test:')) {
    switch (task.target) {
      case 'test:hang':
        for (;;) {
          // a synchronous loop: the event loop never runs again in this thread
        }
      case 'test:crash':
        process.exit(3);
      case 'test:throw':
        throw new Error('the simulator library aborted');
      case 'test:ok': {
        const r = (await realWorker({ ...task, target: 'fsim' })) as { outcome: { target: string } };
        return { ...r, outcome: { ...r.outcome, target: task.target } };
      }
    }
  }
  return realWorker(task);
}
