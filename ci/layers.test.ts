/**
 * Imports point inward only: cli → regression → tracer | targets → runtime (runtime/contract/ holds
 * what tracer and targets share: the event sink and stream names, board records, the target
 * interface, the probe-map view). tracer and targets are siblings and never import each other;
 * bench may import anything. Test files may reach across for their fixtures.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoPath, repoRoot } from '../runtime/repo.js';

/** Depth of each layer: a file may import its own layer or a deeper one (tracer and targets share a depth but not each other). */
const DEPTH: Record<string, number> = { cli: 0, regression: 1, tracer: 2, targets: 2, runtime: 3 };

const sources = execFileSync('git', ['ls-files', '*.ts'], { cwd: repoRoot() })
  .toString()
  .split('\n')
  .filter((f) => f && DEPTH[f.split('/')[0]!] !== undefined && !/\.test(ing)?\.ts$/.test(f) && !f.includes('/testing'));

/** The top folder each relative import of `file` lands in. */
function importedLayers(file: string): { spec: string; layer: string }[] {
  const text = readFileSync(repoPath(file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+'(\.[^']+)'/gm), ...text.matchAll(/import\('(\.[^']+)'\)/g)].map((m) => ({
    spec: m[1]!,
    layer: normalize(join(dirname(file), m[1]!)).split('/')[0]!,
  }));
}

describe('layers', () => {
  it('finds the imports it checks (the check itself)', () => {
    expect(sources.length).toBeGreaterThan(100);
    expect(importedLayers('cli/main.ts').map((i) => i.layer)).toContain('runtime');
  });

  it('every import points inward, and tracer and targets do not import each other', () => {
    const wrong: string[] = [];
    for (const file of sources) {
      const own = file.split('/')[0]!;
      for (const { spec, layer } of importedLayers(file)) {
        if (DEPTH[layer] === undefined || layer === own) continue;
        if (DEPTH[layer]! < DEPTH[own]! || DEPTH[layer] === DEPTH[own]) wrong.push(`${file} imports ${spec}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
