/**
 * One thread of the regress bench's fsim ceiling: runs fsim untraced on a small ResNet-18 layer
 * (conv:C5 at scale 2 on the default configuration) the given number of times, then reports.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { resolveConfig } from '../runtime/config/fixtures.js';
import { buildWorkload } from '../runtime/workloads/index.js';
import { runFsim } from '../targets/fsim/fsim-target.js';
import { nullSink } from '../targets/fsim/testing.js';

const bundle = buildWorkload('conv:C5', { config: resolveConfig('default'), params: { scale: 2 } });
for (let i = 0; i < (workerData as number); i++) runFsim({ bundle, sink: nullSink });
parentPort!.postMessage('done');
