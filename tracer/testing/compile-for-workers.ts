/**
 * Worker threads and child processes cannot load TypeScript, and the multi-writer tests must run
 * the real tracer code in them. This transpiles the runtime, target interface and tracer sources
 * into a scratch folder inside the repository (so node_modules resolve) and returns its path.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { repoRoot } from '../../runtime/repo.js';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

export function compileForWorkers(tag: string): string {
  const root = repoRoot();
  const outDir = join(root, '.cache', 'worker-build', `${tag}-${process.pid}`);
  for (const file of [...sources(join(root, 'runtime')), ...sources(join(root, 'tracer'))]) {
    const js = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    }).outputText;
    const dest = join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, js);
  }
  return outDir;
}
