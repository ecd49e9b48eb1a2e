/**
 * `vta-trace mutate [--suite S] [--count N] [--seed N] [--filter RE] [--jobs N] [--results FILE]
 * [--equivalence-suite S] [--junit FILE] [--json] [--patches DIR]`: mutation scoring of our RTL
 * (docs/mutate.md); with `--design D.json --verilog F… [--top T]`, of Yosys's mutants of a design
 * description's plain-Verilog files; `--verilog` alone lists Yosys's mutants. Exit 0 when every scored mutant is killed, 1 when some survive, 2 on error.
 */
import { setMaxListeners } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { runMutation, type MutationReport, type ScoredMutant } from '../../regression/mutation/engine.js';
import { runYosysMutation } from '../../regression/mutation/yosys-engine.js';
import { junitXml } from '../../regression/reporters/junit.js';
import { DEFAULT_RESULTS_FILE } from '../../regression/results/open.js';
import type { CaseResult } from '../../regression/case-result.js';
import { SUITES, type SuiteName } from '../../regression/suites.js';
import { VtaUserError } from '../../runtime/errors.js';
import { didYouMean } from '../../runtime/suggest.js';
import { loadEquivalenceReview } from '../../regression/mutation/equivalence-review.js';
import { repoPath } from '../../runtime/repo.js';
import { listYosysMutants, yosysEquivalent, yosysMutantPatch } from '../../targets/tsim/mutation/yosys-mutants.js';

interface MutateCliOptions {
  suite: string;
  count: string;
  seed: string;
  filter?: string;
  jobs: string;
  results: string;
  equivalenceSuite?: string;
  junit?: string;
  json?: boolean;
  patches?: string;
  verilog?: string[];
  top?: string;
  checkEquivalence?: boolean;
  /** The equivalence review's path, or false (`--no-equivalent`). */
  equivalent: string | false;
  only?: string;
  design?: string;
}

function suiteName(option: string, s: string): SuiteName {
  if (!(SUITES as readonly string[]).includes(s)) throw new VtaUserError(`${option} "${s}": no such suite${didYouMean(s, [...SUITES])}; known: ${SUITES.join(', ')}`);
  return s as SuiteName;
}

function positive(option: string, s: string, min: number): number {
  const n = Number(s);
  if (!/^\d+$/.test(s) || n < min) throw new VtaUserError(`${option} "${s}": expected an integer ≥ ${min}`);
  return n;
}

/** `--only 3,17,42`: mutant numbers of the selection. */
function mutantIds(s: string): Set<number> {
  const parts = s.split(',').map((x) => x.trim());
  if (parts.some((x) => !/^[1-9]\d*$/.test(x))) throw new VtaUserError(`--only "${s}": expected mutant numbers separated by commas, e.g. 3,17,42`);
  return new Set(parts.map(Number));
}

const change = (m: ScoredMutant) => `${m.original.replace(/\s+/g, ' ')} → ${m.replacement.replace(/\s+/g, ' ')}`;
const where = (r: MutationReport, m: ScoredMutant) => `${r.sourceRoot ?? 'targets/tsim/rtl'}/${m.file}:${m.line}`;

export function textReport(r: MutationReport): string {
  const s = r.summary;
  const lines = [
    `mutation score ${(100 * s.score).toFixed(1)}%: ${s.killed + s.timedOut} killed (${s.timedOut} by timeout) of ${s.total - s.buildErrors - s.equivalent} (${s.total} mutants − ${s.buildErrors} build errors − ${s.equivalent} equivalent); ${s.survived} survived${s.possiblyEquivalent ? `, ${s.possiblyEquivalent} of them possibly equivalent` : ''}`,
    `suite ${r.suite} (${r.cases} cases), sources ${r.sourcesHash}; scored now ${r.scoredNow}, from the results database ${r.mutants.length - r.scoredNow}; build ${r.buildSeconds.toFixed(0)} s, runs ${r.runSeconds.toFixed(0)} s`,
  ];
  const survivors = r.mutants.filter((m) => m.status === 'survived' && m.equivalent === undefined);
  if (survivors.length) {
    lines.push('survivors:');
    for (const m of survivors) lines.push(`  #${m.id} ${where(r, m)} ${m.module} ${m.operator}: ${change(m)}${m.possiblyEquivalent ? '  (possibly equivalent)' : ''}${m.reason ? `  — ${m.reason}` : ''}`);
  }
  const equivalent = r.mutants.filter((m) => m.status === 'survived' && m.equivalent !== undefined);
  if (equivalent.length) {
    lines.push(r.sourceRoot === undefined ? 'equivalent by the review (no tool proves them for our SystemVerilog; docs/mutate.md):' : 'equivalent:');
    for (const m of equivalent) lines.push(`  #${m.id} ${where(r, m)} ${m.operator}: ${change(m)}  — ${m.equivalent}`);
  }
  for (const m of r.mutants.filter((x) => x.reviewContradicted !== undefined)) lines.push(`review contradicted: #${m.id} ${where(r, m)} ${change(m)} is reviewed as equivalent but ${m.caseId ?? 'a case'} kills it (${m.signature ?? m.status}): correct the review`);
  for (const e of r.staleReview) lines.push(`stale review entry: ${e.file}:${e.line} ${e.operator}: ${e.original} → ${e.replacement} matches no mutant of the RTL (the line moved or changed: judge it again)`);
  const errs = r.mutants.filter((m) => m.status === 'build error');
  if (errs.length) lines.push(`build errors: ${errs.length}${errs[0]!.reason ? ` (${errs[0]!.reason})` : ''}`);
  return `${lines.join('\n')}\n`;
}

/** Each mutant as a JUnit testcase: killed passes, a survivor fails, a build error is an error. */
function asCases(r: MutationReport): CaseResult[] {
  return r.mutants.map((m) => {
    const id = `#${m.id} ${where(r, m)} ${m.operator}: ${change(m)}`;
    if (m.status === 'killed' || m.status === 'timeout') return { id, verdict: 'pass', reason: `killed by ${m.caseId} (${m.signature ?? m.status})`, outcomes: [], seconds: m.seconds };
    if (m.status === 'build error') return { id, verdict: 'error', reason: m.reason ?? 'build error', outcomes: [], seconds: 0 };
    if (m.equivalent !== undefined) return { id, verdict: 'known', reason: `equivalent by the review: ${m.equivalent}`, outcomes: [], seconds: m.seconds };
    return { id, verdict: 'fail', reason: `survived ${m.casesRun} cases of suite ${r.suite}`, report: `survived ${m.casesRun} cases of suite ${r.suite}\n${m.patch}`, outcomes: [], seconds: m.seconds };
  });
}

/** `--verilog`: Yosys's mutants of a plain Verilog design, with patches and, on request, an equivalence verdict each. */
function yosysList(o: MutateCliOptions): void {
  if (!o.top) throw new VtaUserError('--verilog needs --top <module>');
  const design = { files: o.verilog!, top: o.top };
  const list = listYosysMutants(design, positive('--count', o.count, 1), positive('--seed', o.seed, 0));
  const rows = list.map((m) => ({ ...m, patch: yosysMutantPatch(design, m), ...(o.checkEquivalence ? { equivalence: yosysEquivalent(design, m) } : {}) }));
  if (o.patches) {
    mkdirSync(o.patches, { recursive: true });
    for (const r of rows) writeFileSync(join(o.patches, `yosys-mutant-${r.id}.patch`), r.patch);
  }
  if (o.json) return void process.stdout.write(`${JSON.stringify({ top: o.top, mutants: rows }, null, 2)}\n`);
  for (const r of rows) process.stdout.write(`#${r.id} ${r.mode} ${r.src.join(' ')}${r.equivalence ? `  ${r.equivalence.equivalent ? 'EQUIVALENT' : 'not equivalent'}` : ''}\n  ${r.command}\n`);
  process.stdout.write(`${rows.length} mutants listed by Yosys; build each with its patch's design to run a suite on it (docs/mutate.md: not run against a suite by this command)\n`);
}

export function registerMutate(program: Command): void {
  program
    .command('mutate')
    .description('mutation scoring of our RTL: how many seeded bugs the suite (fsim against tsim) catches')
    .option('--suite <name>', `suite whose fsim-against-tsim cases score the mutants (${SUITES.join(', ')})`, 'commit')
    .option('--count <n>', 'mutants to select, spread over every RTL module', '200')
    .option('--seed <n>', 'seed of the selection', '1')
    .option('--filter <regex>', 'only cases whose id matches')
    .option('--only <ids>', 'score only these mutants of the selection (numbers as the report prints them, comma-separated)')
    .option('--jobs <n>', 'worker threads', '2')
    .option('--results <file>', 'results database (scored mutants are kept there; a re-run skips them)', DEFAULT_RESULTS_FILE)
    .option('--equivalence-suite <name>', 'run survivors on this larger suite too; those it does not kill are listed as possibly equivalent')
    .option('--junit <file>', 'write a JUnit XML report (one testcase per mutant)')
    .option('--json', 'print the report as JSON')
    .option('--patches <dir>', 'write each survivor as a unified diff into this folder')
    .option('--verilog <files...>', 'plain Verilog Yosys reads (e.g. generated from upstream Chisel): list its mutants with Yosys (MCY\'s mutate -list) instead')
    .option('--top <module>', 'with --verilog: the top module')
    .option('--equivalent <file>', 'equivalence review: survivors it explains leave the score\'s denominator (docs/mutate.md)', repoPath('fixtures', 'mutation', 'equivalent.json'))
    .option('--no-equivalent', 'count no mutant as equivalent')
    .option('--check-equivalence', 'with --verilog: prove each mutant (with --design: each survivor) equivalent or not with Yosys (miter + SAT)')
    .option('--design <file>', 'with --verilog: score Yosys\'s mutants of these files of this design description against the suite (one build for all, +vta_mutant=K)')
    .action(async (o: MutateCliOptions) => {
      if (o.design && !o.verilog) throw new VtaUserError('--design needs --verilog <the design\'s files Yosys mutates>');
      if (o.verilog && !o.design) return yosysList(o);
      const suite = suiteName('--suite', o.suite);
      const equivalenceSuite = o.equivalenceSuite !== undefined ? suiteName('--equivalence-suite', o.equivalenceSuite) : undefined;
      let filter: RegExp | undefined;
      try {
        filter = o.filter !== undefined ? new RegExp(o.filter) : undefined;
      } catch (e) {
        throw new VtaUserError(`--filter: ${(e as Error).message}`);
      }
      const controller = new AbortController();
      // Every task in flight listens to it.
      setMaxListeners(0, controller.signal);
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      let report: MutationReport;
      try {
        const common = {
          suite,
          count: positive('--count', o.count, 1),
          seed: positive('--seed', o.seed, 0),
          ...(filter ? { filter } : {}),
          jobs: positive('--jobs', o.jobs, 1),
          resultsFile: o.results,
          ...(equivalenceSuite ? { equivalenceSuite } : {}),
          ...(o.equivalent !== false ? { equivalenceReview: loadEquivalenceReview(o.equivalent) } : {}),
          ...(o.only !== undefined ? { onlyIds: mutantIds(o.only) } : {}),
          log: (l: string) => process.stderr.write(`${l}\n`),
          signal: controller.signal,
        };
        report = o.design ? await runYosysMutation({ ...common, design: o.design, verilog: o.verilog!, ...(o.top ? { top: o.top } : {}), ...(o.checkEquivalence ? { checkEquivalence: true } : {}) }) : await runMutation(common);
      } finally {
        process.off('SIGINT', stop);
      }
      if (o.junit) writeFileSync(o.junit, junitXml(`mutate ${suite}`, asCases(report), report.runSeconds));
      if (o.patches) {
        mkdirSync(o.patches, { recursive: true });
        for (const m of report.mutants) if (m.status === 'survived') writeFileSync(join(o.patches, `${o.design ? 'yosys-' : ''}mutant-${m.id}.patch`), m.patch);
      }
      if (o.json) process.stdout.write(`${JSON.stringify({ ...report, mutants: report.mutants.map(({ cached, ...m }) => ({ ...m, cached })) }, null, 2)}\n`);
      else process.stdout.write(textReport(report));
      process.exitCode = report.summary.survived > 0 ? 1 : 0;
    });
}
