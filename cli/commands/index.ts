import type { Command } from 'commander';
import { registerDiff } from './diff.js';
import { registerRuns } from './runs.js';
import { registerShow } from './show.js';

/** Every command of the CLI; one line per command file. */
export function registerCommands(program: Command): void {
  registerDiff(program);
  registerRuns(program);
  registerShow(program);
}
