/**
 * Run the CLI in-process for a test: the exit code and everything written to stdout and stderr.
 * Faster than spawning node, and the same code path as bin/vta-trace.js.
 */
import { vi } from 'vitest';
import { main } from '../main.js';

export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  process.exitCode = undefined;
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

/**
 * stderr without the lines that only say what long work is doing (a simulator build on first use,
 * regress progress), which appear or not depending on the cache and the terminal: what is left
 * are warnings and errors.
 */
export function withoutProgress(err: string): string {
  return err.replace(/^(vta-trace: buil(ding|t) the tsim simulator |regress: ).*\n/gm, '');
}
