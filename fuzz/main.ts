/**
 * `npm run fuzz [-- --cases N] [--seed S] [--group NAME]`: every fuzz group, N cases each
 * (default 600), and the table of cases and faults per group; exit 1 when any fault was found,
 * with the failing cases listed. Each group runs in a child process under a watchdog: a case
 * that blocks the process (a synchronous hang, which no timer inside it can end) is killed,
 * counted as a hang, and the group resumes after it.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Fault } from './fuzz-case.js';
import { CASE_TIMEOUT_MS, emptyTally, GROUPS, record, runGroup, tallyTable, type Failure, type GroupTally } from './fuzz-suite.js';

/** What a child reports per case: one JSON line on stdout. */
interface CaseLine {
  index: number;
  label: string;
  argv: string[];
  faults: Fault[];
  code: number | null;
  timedOut: boolean;
  seconds: number;
  err: string;
}

const WATCHDOG_MS = CASE_TIMEOUT_MS + 15_000;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

async function child(groupName: string, from: number, to: number, seed: number): Promise<void> {
  const group = GROUPS.find((g) => g.name === groupName)!;
  // The CLI under test writes to stdout and stderr too: the report goes out on a descriptor of its own.
  const report = (line: CaseLine) => process.send?.(line);
  await runGroup(group, seed, from, to, (index, c, o) => {
    const t = emptyTally(group.name);
    // judge() through record(), on a one-case tally, so the child and the tests judge alike.
    record(t, index, c, o);
    const f = t.failures[0];
    report({ index, label: c.label, argv: c.argv, faults: f?.faults ?? [], code: o.code, timedOut: o.timedOut, seconds: o.seconds, err: f?.err ?? '' });
  });
}

/** Run cases [from, to) of a group in children, restarting after a case that stops answering. */
async function supervise(groupName: string, total: number, seed: number): Promise<GroupTally> {
  const tally = emptyTally(groupName);
  let next = 0;
  while (next < total) {
    next = await new Promise<number>((resolve) => {
      const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', groupName, String(next), String(total), String(seed)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      let expected = next;
      let timer: NodeJS.Timeout;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          // The case after the last one reported never finished: a hang the process could not end.
          tally.cases++;
          tally.faults.hang++;
          tally.exitCodes.timeout = (tally.exitCodes.timeout ?? 0) + 1;
          tally.failures.push({ group: groupName, index: expected, label: '(stopped answering; killed by the watchdog)', argv: [], faults: ['hang'], code: null, err: '' });
          proc.kill('SIGKILL');
          expected++;
        }, WATCHDOG_MS);
      };
      arm();
      proc.on('message', (line: CaseLine) => {
        arm();
        tally.cases++;
        tally.seconds += line.seconds;
        const code = line.timedOut ? 'timeout' : String(line.code);
        tally.exitCodes[code] = (tally.exitCodes[code] ?? 0) + 1;
        for (const f of line.faults) tally.faults[f]++;
        if (line.faults.length) tally.failures.push({ group: groupName, index: line.index, label: line.label, argv: line.argv, faults: line.faults, code: line.code, err: line.err });
        expected = line.index + 1;
        if (tally.cases % 100 === 0) process.stderr.write(`fuzz: ${groupName}: ${tally.cases}/${total}\n`);
      });
      proc.on('exit', () => {
        clearTimeout(timer);
        resolve(expected);
      });
    });
  }
  return tally;
}

function describeFailure(f: Failure): string {
  return `  ${f.group} #${f.index} [${f.faults.join(', ')}] exit ${f.code}: ${f.label}\n    argv: ${f.argv.map((a) => JSON.stringify(a)).join(' ')}\n    ${f.err.trim().split('\n').slice(0, 4).join('\n    ')}`;
}

async function parent(): Promise<number> {
  const cases = Number(arg('--cases', '600'));
  const seed = Number(arg('--seed', '1'));
  const only = arg('--group', '');
  const groups = GROUPS.filter((g) => !only || g.name === only || g.name.startsWith(only));
  const started = Date.now();
  const tallies: GroupTally[] = [];
  for (const g of groups) tallies.push(await supervise(g.name, cases, seed));
  process.stdout.write(`fuzz: seed ${seed}, ${cases} cases per group, ${((Date.now() - started) / 1000).toFixed(0)} s of wall clock\n`);
  process.stdout.write(tallyTable(tallies));
  const failures = tallies.flatMap((t) => t.failures);
  if (failures.length) process.stdout.write(`\n${failures.length} failing case(s):\n${failures.slice(0, 50).map(describeFailure).join('\n')}\n`);
  return failures.length ? 1 : 0;
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]), Number(process.argv[6]));
} else {
  process.exitCode = await parent();
}
