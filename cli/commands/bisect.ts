/**
 * `vta-trace bisect GOOD BAD --case ID`: the first commit where one case's trace on the design
 * changed, values and timing separately, with its first divergence against its parent
 * (regression/bisect/, docs/bisect.md). `vta-trace bisect --check GOOD --case ID` is one step of
 * `git bisect run`: exit 0 same as GOOD, 1 changed, 125 cannot build, 128 (abort) on an error.
 */
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { oneLine } from '../../runtime/errors.js';
import { repoPath, repoRoot } from '../../runtime/repo.js';
import { bisect, checkWorkingTree, type Aspect, type AspectResult, type BisectResult } from '../../regression/bisect/bisect.js';
import { BisectError, repoTop } from '../../regression/bisect/git-commits.js';
import { renderTextReport } from '../../tracer/report/text-report.js';
import { buildNamedWorkload } from '../workload-option.js';

interface BisectOptions {
  case?: string;
  repo?: string;
  design?: string;
  cache?: string;
  check?: boolean;
  verdict: string;
  json?: boolean;
}

/** `git bisect run` aborts the bisection on an exit status above 127 (an error is not a bad commit). */
const CHECK_ABORT = 128;

function aspectLines(aspect: Aspect, r: AspectResult, good: string): string[] {
  if (!r.changed) return [`${aspect}: unchanged from GOOD ${good} to BAD`];
  if ('ambiguous' in r) return [`${aspect}: first changed at one of ${r.ambiguous.map((c) => c.sha.slice(0, 12)).join(', ')} (${r.reason}); ${r.parent.sha.slice(0, 12)} is the last unchanged`];
  const cycles = aspect === 'timing' ? ` (total cycles ${r.cycles.parent ?? '?'} → ${r.cycles.first ?? '?'})` : '';
  return [`${aspect}: first changed at ${r.first.sha.slice(0, 12)} "${r.first.subject}"${cycles}; its parent ${r.parent.sha.slice(0, 12)} is unchanged`];
}

function printResult(r: BisectResult, caseId: string, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ format: 'vta-trace.bisect/1', case: caseId, ...r }, null, 2)}\n`);
    return;
  }
  const short = (s: string) => s.slice(0, 12);
  const runs = r.tested.filter((t) => t.outcome === 'run').length;
  const reused = r.tested.filter((t) => t.outcome === 'reused').length;
  const skipped = r.tested.filter((t) => t.outcome === 'skip');
  const lines = [
    `bisect ${caseId}: GOOD ${short(r.good.sha)}, BAD ${short(r.bad.sha)}, ${r.commits} commit(s) after GOOD (first-parent)`,
    `tested ${r.tested.length} commit(s): ${runs} run, ${reused} from the cache, ${skipped.length} skipped${skipped.length ? ` (${skipped.map((t) => `${short(t.commit.sha)}: ${t.reason}`).join('; ')})` : ''}`,
    ...aspectLines('values', r.values, short(r.good.sha)),
    ...aspectLines('timing', r.timing, short(r.good.sha)),
  ];
  if (r.report && r.reportOf) {
    lines.push('', `${short(r.reportOf.commit.sha)} against its parent ${short(r.reportOf.parent.sha)} (trace database ${r.dbFile}):`, renderTextReport(r.report).trimEnd());
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function registerBisect(program: Command): void {
  program
    .command('bisect')
    .description('find the first commit between GOOD and BAD where a case\'s trace changed (values and timing), or (--check) judge the checked-out commit for git bisect run')
    .argument('[revs...]', 'GOOD BAD (with --check: GOOD)')
    .option('--case <id>', 'the case, as regress names it (a workload spelling, e.g. conv:C5,scale=4#1@small)')
    .option('--repo <dir>', 'the repository whose commits are searched (default: this vta-trace checkout)')
    .option('--design <path>', 'a design description file inside the repository, path from its top (default: our RTL, targets/tsim/rtl/)')
    .option('--cache <dir>', 'worktrees, generated descriptions and the runs (default: .cache/bisect of this checkout, or $VTA_TRACE_CACHE/bisect)')
    .option('--check', 'one git bisect run step on the working tree: exit 0 same as GOOD, 1 changed, 125 cannot build')
    .option('--verdict <aspect>', 'with --check: what counts as changed, values or timing', 'values')
    .option('--json', 'print the result as JSON')
    .action(async (revs: string[], o: BisectOptions) => {
      try {
        await runBisect(revs, o);
      } catch (e) {
        // Under git bisect run an error must stop the bisection, not mark the commit bad (exit 2 would).
        if (o.check) {
          process.stderr.write(`vta-trace: ${oneLine(e instanceof Error ? e.message : String(e))}\n`);
          process.exitCode = CHECK_ABORT;
          return;
        }
        throw e;
      }
    });
}

async function runBisect(revs: string[], o: BisectOptions): Promise<void> {
  if (o.case === undefined) throw new BisectError('--case ID is required (a case id as regress prints it, e.g. conv:C5,scale=4#1@small)');
  if (o.verdict !== 'values' && o.verdict !== 'timing') throw new BisectError(`--verdict "${o.verdict}": expected values or timing`);
  const want = o.check ? 1 : 2;
  if (revs.length !== want) throw new BisectError(o.check ? `--check takes one revision, GOOD (got ${revs.length})` : `bisect takes two revisions, GOOD and BAD (got ${revs.length})`);
  const repo = repoTop(o.repo !== undefined ? resolve(o.repo) : repoRoot());
  const named = buildNamedWorkload(o.case, {});
  const cacheDir = o.cache !== undefined ? resolve(o.cache) : join(process.env.VTA_TRACE_CACHE ?? repoPath('.cache'), 'bisect');
  const setup = {
    repo,
    ...(o.design !== undefined ? { design: o.design } : {}),
    bundle: named.bundle,
    configName: named.config,
    cacheDir,
    log: (l: string) => process.stderr.write(`${l}\n`),
  };
  if (o.check) {
    const r = await checkWorkingTree(setup, revs[0]!, o.verdict);
    process.stdout.write(`${r.line}\n`);
    process.exitCode = r.exit;
    return;
  }
  const r = await bisect(setup, revs[0]!, revs[1]!);
  printResult(r, o.case, o.json);
}
