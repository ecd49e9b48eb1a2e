/** The in-process CLI runner under the fuzz defaults (a case is bounded by 60 s of wall clock). */
import { runInProcess } from './run-in-process.js';

export const runCli = (argv: string[], timeoutMs = 60_000) => runInProcess(argv, timeoutMs);
