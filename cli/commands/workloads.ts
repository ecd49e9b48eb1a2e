/** `vta-trace workloads`: list the built-in workloads. */
import type { Command } from 'commander';
import { listWorkloads } from '../../runtime/workloads/index.js';

export function registerWorkloads(program: Command): void {
  program
    .command('workloads')
    .description('list the built-in workloads')
    .action(() => {
      for (const w of listWorkloads()) process.stdout.write(`${w.name.padEnd(36)} ${w.description}\n`);
    });
}
