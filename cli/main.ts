/**
 * `vta-trace` command-line entry: a thin layer over the regression, tracer, targets and runtime
 * layers. Each command lives in its own file under cli/commands and registers itself here.
 * Errors a user can cause (VtaUserError) are printed as one line and exit with code 2.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { oneLine, VtaUserError } from '../runtime/errors.js';
import { repoPath } from '../runtime/repo.js';
import { registerCommands } from './commands/index.js';

export const EXIT = { OK: 0, MISMATCH: 1, ERROR: 2 } as const;

/** The version in package.json: the one place it is written. */
export function toolVersion(): string {
  return (JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string }).version;
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('vta-trace')
    .description('Run one VTA program on several targets and find where they first disagree.')
    .version(toolVersion(), '-V, --version', 'print the version of vta-trace')
    .exitOverride()
    // Unknown commands and options name the nearest valid one ("Did you mean …?").
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerCommands(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return e.exitCode === 0 ? EXIT.OK : EXIT.ERROR;
    }
    if (e instanceof VtaUserError) {
      // One line, whatever the message carries (a quoted input may hold line breaks).
      process.stderr.write(`vta-trace: ${oneLine(e.message)}\n`);
      return EXIT.ERROR;
    }
    throw e;
  }
}
