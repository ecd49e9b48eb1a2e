/** Run the built CLI (bin/vta-trace.js) as a process, killed after `timeoutMs`: for cases that could block synchronously. */
import { spawnSync } from 'node:child_process';
import { repoPath } from '../runtime/repo.js';
import type { Outcome } from './fuzz-case.js';

export function runProcess(argv: string[], timeoutMs: number, cwd?: string, nodeOptions: string[] = []): Outcome {
  const started = performance.now();
  const r = spawnSync(process.execPath, [...nodeOptions, repoPath('bin', 'vta-trace.js'), ...argv], { timeout: timeoutMs, encoding: 'utf8', cwd, killSignal: 'SIGKILL' });
  const timedOut = r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '', timedOut, seconds: (performance.now() - started) / 1000 };
}
