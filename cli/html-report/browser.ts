/**
 * The system chromium for the HTML report's tests and bench, driven by playwright-core (which
 * cannot download a browser of its own here): $CHROMIUM, else chromium on the PATH.
 */
import { execFileSync } from 'node:child_process';

export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      // not this name
    }
  }
  return undefined;
}
