/**
 * `vta-trace run --target T (--workload NAME | --bundle FILE) [--outputs DIR]`: run one target,
 * say whether its outputs match the golden result, print the counters; with --outputs, write each
 * output range to DIR/<name>.bin for `cmp` against another simulator's. --json carries the output
 * bytes (hex) and their sha256. Exit 0 match, 1 mismatch (or abnormal end), 2 error.
 */
import { createHash } from 'node:crypto';
import type { Command } from 'commander';
import { loadBundle } from '../../runtime/bundle/bundle-file.js';
import { VtaUserError } from '../../runtime/errors.js';
import { DEFAULT_WORKLOAD } from '../../runtime/workloads/index.js';
import { addSeedAndConfig, buildNamedWorkload, WORKLOAD_HELP } from '../workload-option.js';
import { createTarget } from '../../targets/registry.js';
import { designContext } from '../../regression/design-context.js';
import { outputMismatches } from '../../tracer/trace-run.js';
import type { EventSink } from '../../runtime/contract/events.js';
import { cycleLimitArg, timeoutArg } from '../int-option.js';
import { writeOutputs } from './run-outputs.js';

const OUTPUTS_ONLY: EventSink = { wantsEvents: false, wantsIters: false, write() {}, iter() {}, retire() {} };

interface RunOptions {
  target: string;
  workload?: string;
  bundle?: string;
  outputs?: string;
  config?: string;
  seed?: number;
  json?: boolean;
  timeoutMs?: number;
  idleCycles?: number;
  acceptCycles?: number;
}

export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .description('run a workload on one target and check its outputs against the golden result')
    .option('--target <name>', 'fsim, fsim+<fault>, tsim, tsim:<variant>, tsim=DESIGN.json', 'fsim')
    .option('--workload <name>', `${WORKLOAD_HELP}; default ${DEFAULT_WORKLOAD}`)
    .option('--bundle <file>', 'run a saved bundle file (it carries its own configuration)')
    .option('--outputs <dir>', 'write each output range to <dir>/<name>.bin after the run')
    .option('--timeout-ms <n>', 'wall-clock limit for the run (1 to 2^31−1 ms; default 1800000, 30 min)', timeoutArg('--timeout-ms'))
    .option('--idle-cycles <n>', 'tsim: cycles without any progress before a run is a hang (default 200000)', cycleLimitArg('--idle-cycles'))
    .option('--accept-cycles <n>', 'tsim: cycles a module may sit idle with its next instruction unaccepted before the run is a hang naming it (default 2000)', cycleLimitArg('--accept-cycles'))
    .option('--json', 'print the result as JSON')
    .action(async (o: RunOptions) => {
      if (o.workload && o.bundle) throw new VtaUserError('give either --workload or --bundle, not both');
      const workload = o.bundle ?? o.workload ?? DEFAULT_WORKLOAD;
      // A design description's capabilities restrict generated workloads (random).
      const { capabilities } = await designContext([o.target]);
      const bundle = o.bundle ? loadBundle(o.bundle) : buildNamedWorkload(workload, o, capabilities).bundle;
      const target = await createTarget(o.target, { ...(o.idleCycles !== undefined ? { idleCycles: o.idleCycles } : {}), ...(o.acceptCycles !== undefined ? { acceptCycles: o.acceptCycles } : {}) });
      try {
        target.check?.(bundle);
        // A design that cannot be built is an error (exit 2), not a crashed run.
        await target.prepareRun?.(bundle);
        const r = await target.run({ bundle, sink: OUTPUTS_ONLY, limits: o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : undefined });
        const mismatches = bundle.expected ? outputMismatches(bundle, r.outputs) : [];
        const files = o.outputs ? writeOutputs(o.outputs, r.outputs) : [];
        const verdict = r.status !== 'ok' ? r.status : !bundle.expected ? 'no golden result' : mismatches.length ? 'mismatch' : 'match';
        if (o.json) {
          const outputs = r.outputs.map((x, i) => ({ name: x.name, addr: x.addr, size: x.bytes.length, sha256: createHash('sha256').update(x.bytes).digest('hex'), ...(files[i] ? { file: files[i] } : {}), hex: Buffer.from(x.bytes).toString('hex') }));
          process.stdout.write(JSON.stringify({ target: target.name, workload, status: r.status, verdict, message: r.message, mismatches, counters: r.counters, outputs }, null, 2) + '\n');
        } else {
          process.stdout.write(`${target.name} on ${workload}: ${verdict}${r.message ? ` (${r.message})` : ''}\n`);
          for (const m of mismatches) process.stdout.write(`  output "${m}" differs from the golden result\n`);
          const c = r.counters;
          process.stdout.write(
            `  cycles ${c.cycles}  insns load ${c.insns.load} compute ${c.insns.compute} store ${c.insns.store}\n` +
              `  bytes uop ${c.bytes.uop} inp ${c.bytes.inp} wgt ${c.bytes.wgt} acc ${c.bytes.acc} out ${c.bytes.out}  gemm ops ${c.gemmOps}  alu ops ${c.aluOps}\n`,
          );
          for (const f of files) process.stdout.write(`  wrote ${f}\n`);
        }
        process.exitCode = verdict === 'match' || verdict === 'no golden result' ? 0 : 1;
      } finally {
        await target.close();
      }
    });
  addSeedAndConfig(cmd);
}
