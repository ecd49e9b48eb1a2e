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
import { ConsoleReporter, ProgressLog } from '../../regression/reporters/console.js';
import { JsonReporter } from '../../regression/reporters/json.js';
import { JunitReporter } from '../../regression/reporters/junit.js';
import type { Reporter } from '../../regression/reporters/reporter.js';
import { ResultsDbReporter } from '../../regression/reporters/results-db.js';
import { DEFAULT_RESULTS_FILE, openResultsDb } from '../../regression/results/open.js';
import { gitProvenance, machineName } from '../../regression/results/provenance.js';
import { parseJobs } from '../../regression/pools/jobs.js';
import { runCases, threadPlan } from '../../regression/runner.js';
import { COMPARE_MODES, DEFAULT_COMPARE, type CompareMode } from '../../regression/workers/tasks.js';
import { SUITES, shard, suiteCases, withTargets, type CaseSpec, type SuiteName } from '../../regression/suites.js';
import { didYouMean } from '../../runtime/suggest.js';
import { signalExitStatus, STOP_SIGNALS } from '../../runtime/signals.js';
import { repoRoot } from '../../runtime/repo.js';
import { prepareOutputFile } from '../../runtime/files/output-path.js';
import { parseBoundedInt } from '../../runtime/bounded-int.js';
import { maxJobs, timeoutArg } from '../int-option.js';

/** More shards than this is a typo: the largest suite has a few thousand cases. */
const MAX_SHARDS = 100_000;
import { collect, designContext } from '../../regression/design-context.js';
import { createTarget } from '../../targets/registry.js';
import { parseWaveOptions } from '../../regression/divergence-wave.js';

interface RegressOptions {
  suite: string;
  jobs?: string;
  compare: string;
  filter?: string;
  shard?: string;
  junit?: string;
  json?: boolean;
  caseTimeoutMs: number;
  tsimVariant?: string;
  targets?: string;
  /** A file, or false for --no-results. */
  results: string | false;
  machine?: string;
  boards?: string;
  wave?: string;
  waveBefore: string;
  waveAfter: string;
  allowNoCases?: boolean;
  progress: boolean;
  known?: string[];
  shrink?: string;
}

/**
 * Ctrl-C (or SIGTERM) stops the suite: the cases finished so far are reported (console, JUnit,
 * JSON; not the results database), the rest dropped; a second signal ends the process at once.
 */
function stopOnSignals(): { signal: AbortSignal; exitCode: () => number | undefined; dispose: () => void } {
  const ac = new AbortController();
  let code: number | undefined;
  const handlers = STOP_SIGNALS.map((name) => {
    const handler = () => {
      if (ac.signal.aborted) process.exit(signalExitStatus(name));
      code = signalExitStatus(name);
      process.stderr.write(`vta-trace: ${name}: stopping the suite; reporting the cases finished so far (again to quit at once)\n`);
      ac.abort();
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return { signal: ac.signal, exitCode: () => code, dispose: () => handlers.forEach(([name, h]) => process.off(name, h)) };
}

/** A --tsim-variant that no case of the selection runs would change nothing: say so instead of passing. */
function checkVariantUsed(cases: CaseSpec[], variant: string | undefined, suite: string): void {
  if (variant === undefined) return;
  if (!cases.some((c) => c.targets.some((t) => t === `tsim:${variant}` || t.startsWith(`tsim:${variant}@`)))) {
    throw new VtaUserError(`--tsim-variant ${variant}: no case of suite ${suite} as selected runs tsim (with --targets, name the variant there: tsim:${variant})`);
  }
}

/**
 * Every tsim target of the suite is made once here, before any worker starts: an unknown variant
 * or design, or a description naming a missing file, is one error line (exit 2), not a crash per case.
 * (A design that does not build stops the suite at its first case, also with one line.)
 */
async function preflightTargets(names: string[]): Promise<void> {
  for (const name of new Set(names)) {
    if (!name.startsWith('tsim')) continue;
    const target = await createTarget(name);
    await target.close();
  }
}

export function registerRegress(program: Command): void {
  program
    .command('regress')
    .description('run a regression suite on a pool of workers')
    .option('--suite <name>', `suite: ${SUITES.join(', ')}`, 'smoke')
    .option('--jobs <n>', 'worker threads: N shared among the target kinds (one pool each), or kind=N,… (default: number of cores; at most 4 × the cores)')
    .option('--compare <what>', 'compare targets on: outputs, or digests (outputs and every instruction\'s trace digest)', DEFAULT_COMPARE)
    .option('--filter <regex>', 'only cases whose id (workload[,key=value…]#seed@config) matches')
    .option('--shard <i/n>', 'run the i-th of n deterministic shards')
    .option('--junit <file>', 'write JUnit XML')
    .option('--json', 'print the results as JSON instead of the summary')
    .option('--case-timeout-ms <n>', 'wall-clock limit per case (1 to 2^31−1 ms)', timeoutArg('--case-timeout-ms'), 300000)
    .option('--tsim-variant <name>', 'run a seeded-bug RTL variant in place of tsim')
    .option('--targets <list>', 'run every case on these targets instead, the first the reference (e.g. fsim,fpga:* — fpga:* spreads the runs over every board of the boards file, one worker per board)')
    .option('--results <file>', 'append the suite run to this results database', DEFAULT_RESULTS_FILE)
    .option('--no-results', 'do not record the suite run')
    .option('--boards <file>', 'the boards file fpga:* and fpga:<board> use, runs and divergence re-runs alike (default: $VTA_TRACE_BOARDS, else ./vta-boards.json)')
    .option('--wave <dir>', 'for each failing case, an FST of each tsim run around the first divergence and a GTKWave save file, under dir/<case id>/')
    .option('--wave-before <n>', 'with --wave: cycles dumped before the divergent event', '50')
    .option('--wave-after <n>', 'with --wave: cycles dumped after the divergent event', '20')
    .option('--shrink <dir>', 'shrink the first case of each failure bucket into DIR/<case>.vtab (docs/shrink.md); the path is printed beside the case')
    .option('--known <file>', 'a known-differences file (docs/known-differences.md): matching cases count as known, apart from failures; repeatable', collect)
    .option('--machine <name>', 'machine name recorded with the results (default: $VTA_MACHINE or the host name)')
    .option('--allow-no-cases', 'succeed when --filter/--shard select no case (default: an error)')
    .option('--no-progress', 'no progress lines on stderr (default: one every 10 s or tenth of the suite when stdout is not a terminal)')
    .action(async (o: RegressOptions) => {
      if (!SUITES.includes(o.suite as SuiteName)) throw new VtaUserError(`unknown suite "${o.suite}"${didYouMean(o.suite, SUITES)}; known: ${SUITES.join(', ')}`);
      let cases = suiteCases(o.suite as SuiteName, { tsimVariant: o.tsimVariant });
      if (o.targets !== undefined) {
        // Commas inside a target's own parameters (fsim+gemm-lane:pc=4,lane=3) do not split the list.
        const targets = o.targets.split(/,(?=\s*(?:fsim|tsim|fpga)\b)/).map((t) => t.trim());
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
      if (o.shard !== undefined) {
        const m = /^(\d+)\/(\d+)$/.exec(o.shard);
        if (!m) throw new VtaUserError(`--shard "${o.shard.slice(0, 40)}": expected i/n with 1 ≤ i ≤ n`);
        const count = parseBoundedInt(m[2]!, '--shard count n', 1, MAX_SHARDS);
        const index = parseBoundedInt(m[1]!, '--shard index i', 1, count);
        shardOf = { index, count };
        cases = shard(cases, shardOf.index, shardOf.count);
      }
      await preflightTargets(cases.flatMap((c) => c.targets));
      // Read and checked before anything runs, with the known files of design descriptions among the targets.
      await designContext(cases.flatMap((c) => c.targets), o.known);
      const jobs = parseJobs(o.jobs, availableParallelism(), maxJobs());
      if (!(COMPARE_MODES as readonly string[]).includes(o.compare)) throw new VtaUserError(`--compare "${o.compare}": expected ${COMPARE_MODES.join(' or ')}`);
      const compare = o.compare as CompareMode;
      const reporters: Reporter[] = [];
      if (o.json) reporters.push(new JsonReporter(o.suite));
      else reporters.push(new ConsoleReporter());
      // A CI log is not a terminal: say how far the suite is, on stderr.
      if (o.progress && process.stdout.isTTY !== true) reporters.push(new ProgressLog());
      // Checked before the suite runs: a path it cannot write would lose the results at the end.
      if (o.junit) reporters.push(new JunitReporter(prepareOutputFile(o.junit, 'JUnit report', { allowDevice: true }), o.suite));
      // After every option is checked: a bad option is named before an empty selection is.
      if (cases.length === 0 && !o.allowNoCases) {
        throw new VtaUserError(`no case of suite ${o.suite} matches${o.filter ? ` --filter ${o.filter}` : ''}${o.shard ? ` in shard ${o.shard}` : ''} (case ids look like conv:C5,scale=4#1@small; --allow-no-cases to accept an empty run)`);
      }
      checkVariantUsed(cases, o.tsimVariant, o.suite);
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
            // vta-trace's own checkout (its targets and RTL made the runs), not the directory the command runs in.
            git: gitProvenance(repoRoot()),
            machine: o.machine ?? machineName(),
            jobs: threadPlan(cases, jobs),
          };
          reporters.push(new ResultsDbReporter(resultsDb, context, cases));
        }
        const boards = o.boards !== undefined ? { boardsFile: resolve(o.boards) } : {};
        const known = o.known?.length ? { knownFiles: o.known.map((f) => resolve(f)) } : {};
        const wave = parseWaveOptions(o.wave === undefined ? undefined : resolve(o.wave), o.waveBefore, o.waveAfter);
        const stop = stopOnSignals();
        try {
          const results = await runCases(cases, { jobs, compare, caseTimeoutMs: o.caseTimeoutMs, reporters, signal: stop.signal, ...boards, ...known, ...(wave ? { wave } : {}), ...(o.shrink !== undefined ? { shrinkDir: resolve(o.shrink) } : {}) });
          process.exitCode = stop.exitCode() ?? (results.every((r) => r.verdict === 'pass' || r.verdict === 'known') ? 0 : 1);
        } finally {
          stop.dispose();
        }
      } finally {
        resultsDb?.close();
      }
    });
}
