import type { Command } from 'commander';

/** Every command of the CLI; one line per command file. */
export function registerCommands(program: Command): void {
  void program;
}
