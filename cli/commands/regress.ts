/**
 * `vta-trace regress [--suite S] [--jobs N|kind=N,…] [--compare outputs|digests] [--filter RE] [--shard i/n] [--junit FILE] [--json]
 * [--results FILE | --no-results] [--machine NAME] [--boards FILE]`: run a suite over one worker pool per target kind and append the
 * suite run to the results database; exit 0 all passed, 1 some failed, 2 error.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { VtaUserError } from '../../runtime/errors.js';
import { ConsoleReporter } from '../../regression/reporters/console.js';
import { JunitReporter } from '../../regression/reporters/junit.js';
import type { Reporter } from '../../regression/reporters/reporter.js';
import { ResultsDbReporter } from '../../regression/reporters/results-db.js';
import { DEFAULT_RESULTS_FILE, openResultsDb } from '../../regression/results/open.js';
import { gitProvenance, machineName } from '../../regression/results/provenance.js';
import { parseJobs } from '../../regression/pools/jobs.js';
import { runCases, threadPlan } from '../../regression/runner.js';
import { COMPARE_MODES, DEFAULT_COMPARE, type CompareMode } from '../../regression/workers/tasks.js';
import { SUITES, shard, suiteCases, withTargets, type SuiteName } from '../../regression/suites.js';
import { parseWaveOptions } from '../../regression/divergence-wave.js';

interface RegressOptions {
  suite: string;
  jobs?: string;
  compare: string;
  filter?: string;
  shard?: string;
  junit?: string;
  json?: boolean;
  caseTimeoutMs: string;
  tsimVariant?: string;
  targets?: string;
  /** A file, or false for --no-results. */
  results: string | false;
  machine?: string;
  boards?: string;
  wave?: string;
  waveBefore: string;
  waveAfter: string;
}

export function registerRegress(program: Command): void {
  program
    .command('regress')
    .description('run a regression suite on a pool of workers')
    .option('--suite <name>', `suite: ${SUITES.join(', ')}`, 'smoke')
    .option('--jobs <n>', 'worker threads: N shared among the target kinds (one pool each), or kind=N,… (default: number of cores)')
    .option('--compare <what>', 'compare targets on: outputs, or digests (outputs and every instruction\'s trace digest)', DEFAULT_COMPARE)
    .option('--filter <regex>', 'only cases whose id (workload[,key=value…]#seed@config) matches')
    .option('--shard <i/n>', 'run the i-th of n deterministic shards')
    .option('--junit <file>', 'write JUnit XML')
    .option('--json', 'print the results as JSON instead of the summary')
    .option('--case-timeout-ms <n>', 'wall-clock limit per case', '300000')
    .option('--tsim-variant <name>', 'run a seeded-bug RTL variant in place of tsim')
    .option('--targets <list>', 'run every case on these targets instead, the first the reference (e.g. fsim,fpga:* — fpga:* spreads the runs over every board of the boards file, one worker per board)')
    .option('--results <file>', 'append the suite run to this results database', DEFAULT_RESULTS_FILE)
    .option('--no-results', 'do not record the suite run')
    .option('--boards <file>', 'the boards file fpga:* and fpga:<board> use, runs and divergence re-runs alike (default: $VTA_TRACE_BOARDS, else ./vta-boards.json)')
    .option('--wave <dir>', 'for each failing case, an FST of each tsim run around the first divergence and a GTKWave save file, under dir/<case id>/')
    .option('--wave-before <n>', 'with --wave: cycles dumped before the divergent event', '50')
    .option('--wave-after <n>', 'with --wave: cycles dumped after the divergent event', '20')
    .option('--machine <name>', 'machine name recorded with the results (default: $VTA_MACHINE or the host name)')
    .action(async (o: RegressOptions) => {
      if (!SUITES.includes(o.suite as SuiteName)) throw new VtaUserError(`unknown suite "${o.suite}"; known: ${SUITES.join(', ')}`);
      let cases = suiteCases(o.suite as SuiteName, { tsimVariant: o.tsimVariant });
      if (o.targets !== undefined) {
        const targets = o.targets.split(',').map((t) => t.trim());
        if (targets.length < 1 || targets.some((t) => !t)) throw new VtaUserError(`--targets "${o.targets}": expected a comma-separated list of target names, e.g. fsim,fpga:*`);
        cases = withTargets(cases, targets);
      }
      if (o.filter) {
        let re: RegExp;
        try {
          re = new RegExp(o.filter);
        } catch (e) {
          throw new VtaUserError(`--filter: ${(e as Error).message}`);
        }
        cases = cases.filter((c) => re.test(c.id));
      }
      let shardOf: { index: number; count: number } | undefined;
      if (o.shard) {
        const m = /^(\d+)\/(\d+)$/.exec(o.shard);
        if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new VtaUserError(`--shard "${o.shard}": expected i/n with 1 ≤ i ≤ n`);
        shardOf = { index: Number(m[1]), count: Number(m[2]) };
        cases = shard(cases, shardOf.index, shardOf.count);
      }
      const jobs = parseJobs(o.jobs, availableParallelism());
      if (!(COMPARE_MODES as readonly string[]).includes(o.compare)) throw new VtaUserError(`--compare "${o.compare}": expected ${COMPARE_MODES.join(' or ')}`);
      const compare = o.compare as CompareMode;
      const reporters: Reporter[] = [];
      if (!o.json) reporters.push(new ConsoleReporter());
      if (o.junit) reporters.push(new JunitReporter(o.junit, o.suite));
      // Opened before the run: a bad or newer-schema file fails at once, not after the suite.
      const resultsDb = o.results === false ? undefined : openResultsDb(o.results);
      try {
        if (resultsDb) {
          const context = {
            runKey: randomUUID(),
            suite: o.suite,
            ...(shardOf ? { shard: shardOf } : {}),
            ...(o.filter ? { filter: o.filter } : {}),
            ...(o.tsimVariant ? { tsimVariant: o.tsimVariant } : {}),
            compare,
            git: gitProvenance(process.cwd()),
            machine: o.machine ?? machineName(),
            jobs: threadPlan(cases, jobs),
          };
          reporters.push(new ResultsDbReporter(resultsDb, context, cases));
        }
        const boards = o.boards !== undefined ? { boardsFile: resolve(o.boards) } : {};
        const wave = parseWaveOptions(o.wave === undefined ? undefined : resolve(o.wave), o.waveBefore, o.waveAfter);
        const results = await runCases(cases, { jobs, compare, caseTimeoutMs: Number(o.caseTimeoutMs), reporters, ...boards, ...(wave ? { wave } : {}) });
        if (o.json) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
        process.exitCode = results.every((r) => r.verdict === 'pass') ? 0 : 1;
      } finally {
        resultsDb?.close();
      }
    });
}
