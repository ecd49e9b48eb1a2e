/**
 * `npm run bench`: runs every benchmark module that exists and prints its figures, one block per
 * module, plus a JSON copy in .cache/bench.json. Each module exports one async function returning
 * named figures. Select modules with `npm run bench -- fsim tracer`.
 * Figures are measured side by side in one run; quote ratios, not absolute numbers, across runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MODULES: Record<string, string> = {
  fsim: 'benchFsim',
  tracer: 'benchTracer',
  tsim: 'benchTsim',
  regress: 'benchRegress',
  networks: 'benchNetworks',
  fpga: 'benchFpga',
  frames: 'benchFrames',
  upstream: 'benchUpstream',
  wave: 'benchWave',
  shrink: 'benchShrink',
  report: 'benchReport',
  mutate: 'benchMutate',
};

type Figures = Record<string, number | string>;

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const results: Record<string, Figures | { error: string }> = {};
  for (const [name, fn] of Object.entries(MODULES)) {
    if (wanted.length && !wanted.includes(name)) continue;
    const file = join(here, `${name}.js`);
    if (!existsSync(file)) continue;
    process.stdout.write(`\n== ${name}\n`);
    try {
      const mod = (await import(file)) as Record<string, () => Promise<Figures>>;
      const figures = await mod[fn]!();
      results[name] = figures;
      for (const [k, v] of Object.entries(figures)) {
        const text = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : v;
        process.stdout.write(`  ${k.padEnd(44)} ${text}\n`);
      }
    } catch (e) {
      results[name] = { error: String((e as Error).message ?? e) };
      process.stdout.write(`  FAILED: ${(e as Error).message}\n`);
      process.exitCode = 1;
    }
  }
  mkdirSync('.cache', { recursive: true });
  writeFileSync(join('.cache', 'bench.json'), JSON.stringify({ date: new Date().toISOString(), results }, null, 2));
}

await main();
