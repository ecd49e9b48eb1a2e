/** The signals that stop a run or a suite, and the exit status a shell reports for each. */
import { constants } from 'node:os';

/** Ctrl-C and a polite kill. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const satisfies readonly NodeJS.Signals[];

/** 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM. */
export function signalExitStatus(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}
