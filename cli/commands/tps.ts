/**
 * `vta-trace tps [--config C] [--layer NAME] [--json]`: the tiling parameter search for the
 * ResNet-18 convolutions on one configuration — the chosen tiling, its DRAM bytes, and how
 * many bytes the minimal-scratchpad fallback would move instead.
 */
import type { Command } from 'commander';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { VtaUserError } from '../../runtime/errors.js';
import { RESNET18_CONVS } from '../../runtime/lowering/conv-shape.js';
import { searchTiling, type Tiling } from '../../runtime/lowering/tps.js';

function describeTiling(t: Tiling): string {
  const vt = t.ocN === 2 ? ' vthread=oc' : t.hN === 2 ? ' vthread=h' : '';
  return `b${t.tbO} h${t.thO} w${t.twO} co${t.tcoO} ci${t.tciO}${vt}`;
}

export function registerTps(program: Command): void {
  program
    .command('tps')
    .description('tiling parameter search for the ResNet-18 convolutions (DRAM bytes vs the fallback schedule)')
    .option('--config <name|file>', 'fixture config name or JSON file', 'default')
    .option('--layer <name>', `one layer: ${RESNET18_CONVS.map((s) => s.name).join(', ')}`)
    .option('--json', 'print the results as JSON')
    .action((o: { config: string; layer?: string; json?: boolean }) => {
      const params = resolveConfig(o.config);
      const shapes = o.layer ? RESNET18_CONVS.filter((s) => s.name === o.layer) : RESNET18_CONVS;
      if (shapes.length === 0) throw new VtaUserError(`--layer "${o.layer}": known layers are ${RESNET18_CONVS.map((s) => s.name).join(', ')}`);
      const results = shapes.map((s) => searchTiling(s, params));
      if (o.json) {
        process.stdout.write(JSON.stringify(results, null, 2) + '\n');
        return;
      }
      process.stdout.write(`config ${params.bitstream}; outer tile counts per dimension (b, h, w, out-ch blocks, in-ch blocks)\n`);
      process.stdout.write(`${'layer'.padEnd(6)}${'tiling'.padEnd(30)}${'DRAM bytes'.padStart(14)}${'fallback'.padStart(16)}${'ratio'.padStart(9)}  fitting/candidates\n`);
      for (const r of results) {
        const ratio = r.fallback.dramBytes / r.best.dramBytes;
        process.stdout.write(
          `${r.shape.name.padEnd(6)}${describeTiling(r.best.tiling).padEnd(30)}${String(r.best.dramBytes).padStart(14)}${String(r.fallback.dramBytes).padStart(16)}${ratio.toFixed(1).padStart(8)}×  ${r.fitting}/${r.candidates}\n`,
        );
      }
    });
}
