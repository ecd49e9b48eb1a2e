/**
 * `vta-trace run --target T --workload NAME`: run one target, say whether its outputs match the
 * golden result, print the counters. Exit 0 match, 1 mismatch (or abnormal end), 2 error.
 */
import type { Command } from 'commander';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { VtaUserError } from '../../runtime/errors.js';
import { buildWorkload, DEFAULT_WORKLOAD } from '../../runtime/workloads/index.js';
import { createTarget } from '../../targets/registry.js';
import { outputMismatches } from '../../tracer/trace-run.js';
import type { EventSink } from '../../tracer/events.js';

const OUTPUTS_ONLY: EventSink = { wantsEvents: false, wantsIters: false, write() {}, iter() {}, retire() {} };

interface RunOptions {
  target: string;
  workload: string;
  config: string;
  seed: string;
  json?: boolean;
  timeoutMs?: string;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a workload on one target and check its outputs against the golden result')
    .option('--target <name>', 'fsim, fsim+<fault>, tsim, tsim:<variant>', 'fsim')
    .option('--workload <name>', 'workload name (see `vta-trace workloads`)', DEFAULT_WORKLOAD)
    .option('--config <name|file>', 'fixture config name or JSON file', 'default')
    .option('--seed <n>', 'seed for generated workloads', '0')
    .option('--timeout-ms <n>', 'wall-clock limit for the run (default 1800000, 30 min)')
    .option('--json', 'print the result as JSON')
    .action(async (o: RunOptions) => {
      if (!/^\d+$/.test(o.seed)) throw new VtaUserError(`--seed "${o.seed}": expected a non-negative integer`);
      const bundle = buildWorkload(o.workload, { config: resolveConfig(o.config), seed: Number(o.seed) });
      const target = await createTarget(o.target);
      try {
        target.check?.(bundle);
        const r = await target.run({ bundle, sink: OUTPUTS_ONLY, limits: o.timeoutMs ? { timeoutMs: Number(o.timeoutMs) } : undefined });
        const mismatches = bundle.expected ? outputMismatches(bundle, r.outputs) : [];
        const verdict = r.status !== 'ok' ? r.status : !bundle.expected ? 'no golden result' : mismatches.length ? 'mismatch' : 'match';
        if (o.json) {
          process.stdout.write(JSON.stringify({ target: target.name, workload: o.workload, status: r.status, verdict, message: r.message, mismatches, counters: r.counters }, null, 2) + '\n');
        } else {
          process.stdout.write(`${target.name} on ${o.workload}: ${verdict}${r.message ? ` (${r.message})` : ''}\n`);
          for (const m of mismatches) process.stdout.write(`  output "${m}" differs from the golden result\n`);
          const c = r.counters;
          process.stdout.write(
            `  cycles ${c.cycles}  insns load ${c.insns.load} compute ${c.insns.compute} store ${c.insns.store}\n` +
              `  bytes uop ${c.bytes.uop} inp ${c.bytes.inp} wgt ${c.bytes.wgt} acc ${c.bytes.acc} out ${c.bytes.out}  gemm ops ${c.gemmOps}  alu ops ${c.aluOps}\n`,
          );
        }
        process.exitCode = verdict === 'match' || verdict === 'no golden result' ? 0 : 1;
      } finally {
        await target.close();
      }
    });
}
