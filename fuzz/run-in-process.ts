/**
 * Run the CLI in this process, as bin/vta-trace.js does (main(), and an exception it lets out is
 * what the launcher prints as an internal error), with stdout and stderr captured and a
 * wall-clock bound. In-process is faithful for everything but a synchronous hang, which would
 * stop this process too: cases that could hang that way run as processes (run-process.ts), and
 * `npm run fuzz` runs the whole suite under a watchdog (main.ts).
 */
import { main } from '../cli/main.js';
import type { Outcome } from './fuzz-case.js';

export async function runInProcess(argv: string[], timeoutMs: number): Promise<Outcome> {
  let out = '';
  let err = '';
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  const stderrWrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string | Uint8Array) => ((out += String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((err += String(s)), true)) as typeof process.stderr.write;
  process.exitCode = undefined;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<'timeout'>((res) => (timer = setTimeout(() => res('timeout'), timeoutMs)));
    const run = main(argv).then(
      (code) => ({ code }),
      (e: unknown) => ({ threw: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
    );
    const r = await Promise.race([run, timeout]);
    const seconds = (performance.now() - started) / 1000;
    if (r === 'timeout') return { code: null, out, err, timedOut: true, seconds };
    if ('threw' in r) return { code: 2, out, err: `${err}vta-trace: internal error: ${r.threw}\n`, threw: r.threw, timedOut: false, seconds };
    return { code: r.code, out, err, timedOut: false, seconds };
  } finally {
    clearTimeout(timer);
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
    process.exitCode = undefined;
  }
}
