import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The repository root (the folder holding package.json), found by walking up from this file so
 * that the same code works from the TypeScript sources (tests) and from the compiled `dist/`.
 */
export function repoRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'fixtures'))) return (cached = dir);
    const up = resolve(dir, '..');
    if (up === dir) throw new Error('vta-trace: cannot locate the repository root');
    dir = up;
  }
}

/** A path inside the repository. */
export function repoPath(...parts: string[]): string {
  return join(repoRoot(), ...parts);
}
