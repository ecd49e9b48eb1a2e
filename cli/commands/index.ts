import type { Command } from 'commander';
import { registerDiff } from './diff.js';
import { registerRuns } from './runs.js';
import { registerShow } from './show.js';
import { registerExport } from './export.js';
import { registerReport } from './report.js';
import { registerRun } from './run.js';
import { registerWorkloads } from './workloads.js';
import { registerRegress } from './regress.js';
import { registerTps } from './tps.js';
import { registerPerf } from './perf.js';
import { registerMerge } from './merge.js';
import { registerBundle } from './bundle.js';
import { registerAgent } from './agent.js';
import { registerBisect } from './bisect.js';
import { registerShrink } from './shrink.js';
import { registerMutate } from './mutate.js';

/** Every command of the CLI; one line per command file. */
export function registerCommands(program: Command): void {
  registerDiff(program);
  registerRuns(program);
  registerShow(program);
  registerExport(program);
  registerReport(program);
  registerRun(program);
  registerWorkloads(program);
  registerRegress(program);
  registerTps(program);
  registerPerf(program);
  registerMerge(program);
  registerBundle(program);
  registerAgent(program);
  registerBisect(program);
  registerShrink(program);
  registerMutate(program);
}
