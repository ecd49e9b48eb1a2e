/**
 * The example GitHub Actions workflow (ci/github-actions.example.yml) against the project it
 * drives: it parses, every script it runs and every file its cache keys hash exists, every
 * vta-trace command and option it uses is one the CLI has; and the setup's package installer
 * behaves as on a hosted runner (a user who is not root: sudo when it needs no password,
 * otherwise the exact command printed).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { registerCommands } from '../cli/commands/index.js';
import { repoPath, repoRoot } from '../runtime/repo.js';

interface Step {
  run?: string;
  uses?: string;
  with?: Record<string, string>;
}
interface Workflow {
  on: unknown;
  jobs: Record<string, { 'runs-on': string; steps: Step[]; needs?: string }>;
}

const workflow = parse(readFileSync(repoPath('ci', 'github-actions.example.yml'), 'utf8')) as Workflow;
const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
/** Every shell command of the workflow, one per line (folded `>` blocks are one line already). */
const commands = steps.flatMap((s) => (s.run ? s.run.split('\n').filter((l) => l.trim()) : []));
const tracked = execFileSync('git', ['ls-files'], { cwd: repoRoot() }).toString().split('\n');

describe('the example GitHub Actions workflow', () => {
  it('parses, with jobs that run on hosted runners', () => {
    expect(Object.keys(workflow.jobs)).toEqual(['shard', 'report']);
    for (const job of Object.values(workflow.jobs)) expect(job['runs-on']).toBe('ubuntu-latest');
    expect(workflow.jobs.report!.needs).toBe('shard');
  });

  it('runs only scripts that exist', () => {
    const scripts = commands.flatMap((c) => [...c.matchAll(/\b(?:bash|node)\s+([\w./-]+)/g)].map((m) => m[1]!));
    expect(scripts).toContain('ci/setup.sh');
    expect(scripts).toContain('bin/vta-trace.js');
    for (const s of scripts) expect(tracked, s).toContain(s);
  });

  it('uses only vta-trace commands and options the CLI has', () => {
    const program = new Command();
    registerCommands(program);
    const uses = commands.filter((c) => c.includes('bin/vta-trace.js'));
    expect(uses.length).toBeGreaterThanOrEqual(3);
    for (const c of uses) {
      const [name, ...args] = c.slice(c.indexOf('bin/vta-trace.js') + 'bin/vta-trace.js'.length).trim().split(/\s+/);
      const cmd = program.commands.find((x) => x.name() === name);
      expect(cmd, `vta-trace ${name}`).toBeDefined();
      const longs = cmd!.options.map((o) => o.long);
      for (const a of args.filter((x) => x.startsWith('--'))) expect(longs, `vta-trace ${name} ${a}`).toContain(a);
    }
  });

  it('gives setup only options it takes, and the report job no Verilator', () => {
    const setups = commands.filter((c) => c.includes('ci/setup.sh'));
    const setupText = readFileSync(repoPath('ci', 'setup.sh'), 'utf8');
    for (const c of setups) for (const a of c.split(/\s+/).filter((x) => x.startsWith('--'))) expect(setupText).toContain(`${a})`);
    expect(workflow.jobs.report!.steps.some((s) => s.run?.includes('ci/setup.sh --no-verilator'))).toBe(true);
  });

  it('keys its caches on files that exist, and caches npm, the simulators and ccache', () => {
    const withs = steps.filter((s) => s.with).map((s) => s.with!);
    const patterns = withs.flatMap((w) => Object.values(w).flatMap((v) => [...String(v).matchAll(/hashFiles\(([^)]*)\)/g)].flatMap((m) => [...m[1]!.matchAll(/'([^']+)'/g)].map((q) => q[1]!))));
    expect(patterns.length).toBeGreaterThan(0);
    for (const p of patterns) {
      const prefix = p.replace(/\*\*$/, '');
      expect(tracked.some((f) => (p.endsWith('**') ? f.startsWith(prefix) : f === p)), p).toBe(true);
    }
    const cached = withs.map((w) => String(w.path ?? '')).join('\n');
    expect(cached).toContain('.cache/tsim');
    expect(cached).toContain('.cache/ccache');
    expect(steps.filter((s) => s.uses?.startsWith('actions/setup-node')).every((s) => s.with?.cache === 'npm')).toBe(true);
    expect(steps.some((s) => s.uses?.startsWith('dorny/test-reporter') && s.with?.reporter === 'java-junit')).toBe(true);
  });
});

/** Run ci/apt-install.sh as the unprivileged user `nobody`, with `bin` first on the PATH. */
function aptInstallAsNobody(bin: string, log: string) {
  return spawnSync('runuser', ['-u', 'nobody', '--', 'env', `PATH=${bin}:/usr/bin:/bin`, `VTA_TRACE_APT_LOG=${log}`, 'bash', repoPath('ci', 'apt-install.sh'), 'verilator', 'ccache'], { encoding: 'utf8' });
}

const asRoot = process.getuid?.() === 0 && spawnSync('runuser', ['--help']).status === 0;

describe.skipIf(!asRoot)('ci/apt-install.sh as a user who is not root (runs as root only, to become nobody)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vta-apt-'));
  chmodSync(dir, 0o777);
  const fake = (name: string, body: string) => {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  };

  it('uses sudo when it works without a password, and keeps apt quiet in a log', () => {
    // A stand-in sudo that says yes to `-n true` and logs every command it is given instead of running apt.
    fake('sudo', `echo "sudo $*" >> ${dir}/calls; [ "$2" = true ] && exit 0; exit 0`);
    const r = aptInstallAsNobody(dir, join(dir, 'apt.log'));
    expect([r.status, r.stderr]).toEqual([0, expect.stringContaining('installing verilator ccache')]);
    const calls = readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n');
    expect(calls).toEqual(['sudo -n true', 'sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -q', 'sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends verilator ccache']);
  });

  it('without passwordless sudo, prints the exact command and exits 3', () => {
    fake('sudo', 'exit 1');
    const r = aptInstallAsNobody(dir, join(dir, 'apt2.log'));
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('  sudo apt-get update && sudo apt-get install -y verilator ccache\n');
  });
});
