/**
 * One concurrent writer for the multi-writer and interruption tests: records a toy run into a
 * trace database. Runs as a worker thread (arguments in workerData) or a child process (argv).
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { makeTraceSpec } from '../spec.js';
import { TraceStore } from '../store/trace-store.js';
import { traceRun } from '../trace-run.js';
import { createToyTarget, toyBundle } from './toy.js';

interface WriterArgs {
  db: string;
  name: string;
  insnCount: number;
  runs: number;
  batchEvents: number;
  yieldEvery?: number;
}

const args: WriterArgs = isMainThread ? (JSON.parse(process.argv[2]!) as WriterArgs) : (workerData as WriterArgs);
const store = TraceStore.open(args.db);
const bundle = toyBundle(resolveConfig('default'), args.insnCount);
const results: { runId: number; events: number }[] = [];
for (let i = 0; i < args.runs; i++) {
  const r = await traceRun({
    target: createToyTarget({ name: `${args.name}#${i}`, yieldEvery: args.yieldEvery }),
    bundle,
    spec: makeTraceSpec({ mode: 'sram' }),
    store,
    writer: { batchEvents: args.batchEvents },
  });
  results.push({ runId: r.runId, events: r.summary.storedEvents });
}
store.close();
if (parentPort) parentPort.postMessage(results);
else process.stdout.write(JSON.stringify(results) + '\n');
