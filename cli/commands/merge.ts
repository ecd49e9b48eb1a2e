/**
 * `vta-trace merge OUT IN...`: combine results databases from several machines or shards into
 * OUT (created when missing). Suite runs present in several files are kept once; an input of
 * another schema version stops the merge before anything is written.
 */
import type { Command } from 'commander';
import { mergeResultsDbs } from '../../regression/results/merge.js';
import { readingResults } from '../../regression/results/check-results.js';

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('combine results databases (shards, machines) into one')
    .argument('<out>', 'results database to write (created when missing)')
    .argument('<in...>', 'results databases to read')
    .action((out: string, inputs: string[]) => {
      // Inputs are checked when opened; what fails after that fails writing the output.
      const s = readingResults(out, () => mergeResultsDbs(out, inputs));
      for (const i of s.inputs) process.stdout.write(`${i.file}: ${i.runs} suite run(s), ${i.added} new\n`);
      process.stdout.write(`merged ${s.addedRuns} suite run(s) with ${s.addedCases} case(s) into ${out}\n`);
    });
}
