/**
 * Builds the simulator for one (RTL, probe map, configuration, waveform) combination and caches it
 * under .cache/tsim/<hash>/. The hash covers everything that changes the binary: RTL sources, probe
 * map, configuration, harness sources, Verilator version and build flags. Concurrent builders of
 * the same key (worker threads, processes) build once: one takes a lock file, the others wait for
 * the finished folder, which appears by an atomic rename.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { VtaParams } from '../../runtime/config/config.js';
import { repoPath } from '../../runtime/repo.js';
import { TsimBuildError } from './errors.js';
import { loadProbeMap, probeListText, probesVlt, type ProbeMap } from './probe-map.js';
import type { RtlSpec } from './rtl-source.js';

export interface BuildOptions {
  /** Build the FST waveform variant (--trace-fst). */
  wave?: boolean;
}

export interface BuiltSimulator {
  dir: string;
  binary: string;
  probesTxt: string;
  dataBits: number;
  probeMap: ProbeMap;
  /** True if this call found it in the cache. */
  cached: boolean;
}

/** Bump when the build recipe changes in a way the flags below do not show. */
const RECIPE = 1;
const BINARY = 'vta-tsim';

/**
 * -O3 for Verilator's own optimiser; the C++ model compiled at -O2 instead of Verilator's default
 * -Os (fast model code matters more than build time). Randomised initial values make RTL that
 * depends on uninitialised state fail reproducibly (seeded by the harness).
 */
function verilatorArgs(spec: RtlSpec, harnessDir: string, wave: boolean): string[] {
  const cflags = ['-O2', '-std=c++17', '-DVL_USER_FATAL', '-DVL_USER_STOP', '-DVL_USER_FINISH', `-I${harnessDir}`];
  if (wave) cflags.push('-DTSIM_WAVE');
  return [
    '--cc',
    '--exe',
    '--build',
    '-j',
    '2',
    '-O3',
    '--x-assign',
    'unique',
    '--x-initial',
    'unique',
    '-Wno-fatal',
    '--prefix',
    'Vtsim',
    '--top-module',
    spec.top,
    ...(wave ? ['--trace-fst'] : []),
    '-CFLAGS',
    cflags.join(' '),
    '-MAKEFLAGS',
    'OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2',
    ...spec.includeDirs.map((d) => `-I${d}`),
    ...spec.verilatorFlags,
  ];
}

export function cacheRoot(): string {
  return join(process.env.VTA_TRACE_CACHE ?? repoPath('.cache'), 'tsim');
}

function harnessDir(): string {
  return repoPath('targets', 'tsim', 'harness');
}

function harnessSources(): string[] {
  return readdirSync(harnessDir())
    .filter((n) => /\.(cc|h)$/.test(n))
    .sort();
}

function run(cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<{ code: number; output: string; missing: boolean }> {
  return new Promise((res) => {
    let output = '';
    const child = spawn(cmd, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) => res({ code: -1, output: e.message, missing: e.code === 'ENOENT' }));
    child.on('close', (code) => res({ code: code ?? -1, output, missing: false }));
  });
}

let versionPromise: Promise<string> | undefined;

/** `verilator --version`, installing Verilator through ci/ensure-verilator.sh when it is missing. */
export function verilatorVersion(): Promise<string> {
  versionPromise ??= (async () => {
    let v = await run('verilator', ['--version'], process.cwd());
    if (v.missing) {
      const ensure = await run('bash', [repoPath('ci', 'ensure-verilator.sh')], process.cwd());
      if (ensure.code !== 0) throw new TsimBuildError(`Verilator is missing and could not be installed: ${ensure.output.trim()}`);
      v = await run('verilator', ['--version'], process.cwd());
    }
    if (v.code !== 0) throw new TsimBuildError(`verilator --version failed: ${v.output.trim()}`);
    return v.output.trim();
  })();
  versionPromise.catch(() => (versionPromise = undefined));
  return versionPromise;
}

let ccachePromise: Promise<boolean> | undefined;

/**
 * Every model compiles the same harness files and Verilator runtime (about half of a build's
 * compiler time); with ccache on the PATH, Verilator's makefile hook OBJCACHE lets later builds
 * reuse those objects. The ccache store sits beside the simulator cache. It changes no binary, so
 * it is not part of the cache key, and a machine without ccache builds as before.
 */
async function compilerCacheEnv(): Promise<NodeJS.ProcessEnv> {
  ccachePromise ??= run('ccache', ['--version'], process.cwd()).then((r) => r.code === 0);
  if (!(await ccachePromise) || process.env.VTA_TRACE_NO_CCACHE === '1') return process.env;
  return { ...process.env, OBJCACHE: 'ccache', CCACHE_DIR: process.env.CCACHE_DIR ?? join(cacheRoot(), '..', 'ccache') };
}

/** The cache key: sha256 over everything that goes into the binary. */
export function buildKey(spec: RtlSpec, params: VtaParams, wave: boolean, version: string): string {
  const h = createHash('sha256');
  const part = (label: string, data: string) => h.update(`${label}\0${data.length}\0${data}\0`);
  part('recipe', String(RECIPE));
  part('verilator', version);
  part('top', spec.top);
  for (const f of spec.files) part(`rtl:${f.name}`, f.content);
  part('probe-map', readFileSync(spec.probeMapPath, 'utf8'));
  part('config', JSON.stringify(params.json));
  part('flags', JSON.stringify(verilatorArgs({ ...spec, includeDirs: [] }, '', wave)));
  part('include-dirs', spec.includeDirs.length.toString());
  for (const n of harnessSources()) part(`harness:${n}`, readFileSync(join(harnessDir(), n), 'utf8'));
  return h.digest('hex').slice(0, 24);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the lock file, or return false if someone else holds it (removing it if its owner died). */
function tryLock(lock: string): boolean {
  try {
    const fd = openSync(lock, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    let owner = NaN;
    try {
      owner = Number(readFileSync(lock, 'utf8'));
    } catch {
      return false; // released meanwhile; the caller retries
    }
    if (Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) rmSync(lock, { force: true });
    return false;
  }
}

function described(dir: string, spec: RtlSpec, params: VtaParams, cached: boolean): BuiltSimulator {
  const probeMap = loadProbeMap(spec.probeMapPath);
  return { dir, binary: join(dir, BINARY), probesTxt: join(dir, 'probes.txt'), dataBits: params.busBytes * 8, probeMap, cached };
}

/** Build (or find in the cache) the simulator for this RTL and configuration. */
export async function ensureBuilt(spec: RtlSpec, params: VtaParams, opts: BuildOptions = {}): Promise<BuiltSimulator> {
  const wave = opts.wave ?? false;
  const probeMap = loadProbeMap(spec.probeMapPath); // validate before spending a build on it
  const version = await verilatorVersion();
  const key = buildKey(spec, params, wave, version);
  const root = cacheRoot();
  mkdirSync(root, { recursive: true });
  const final = join(root, key);
  const lock = `${final}.lock`;
  for (;;) {
    if (existsSync(join(final, BINARY))) return described(final, spec, params, true);
    if (tryLock(lock)) break;
    await sleep(200);
  }
  try {
    if (existsSync(join(final, BINARY))) return described(final, spec, params, true);
    const tmp = `${final}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    // A build takes tens of seconds to minutes: say what is happening, on stderr (stdout may be a report).
    const started = Date.now();
    process.stderr.write(`vta-trace: building the tsim simulator for ${spec.label} on ${params.bitstream}${wave ? ' with waveforms' : ''} (first use of this RTL and configuration; cached in ${final})...\n`);
    await compile(spec, params, probeMap, wave, tmp);
    process.stderr.write(`vta-trace: built the tsim simulator for ${spec.label} on ${params.bitstream} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    writeFileSync(
      join(tmp, 'build.json'),
      `${JSON.stringify({ rtl: spec.label, top: spec.top, config: params.json, wave, verilator: version, builtAt: new Date().toISOString() }, null, 2)}\n`,
    );
    rmSync(final, { recursive: true, force: true }); // a half-made folder from a crashed builder
    renameSync(tmp, final);
    return described(final, spec, params, false);
  } finally {
    rmSync(lock, { force: true });
  }
}

async function compile(spec: RtlSpec, params: VtaParams, map: ProbeMap, wave: boolean, tmp: string): Promise<void> {
  const src = join(tmp, 'src');
  mkdirSync(src, { recursive: true });
  const sources = spec.files.map((f) => {
    if (f.path) return f.path;
    writeFileSync(join(src, f.name), f.content);
    return join(src, f.name);
  });
  writeFileSync(join(tmp, 'probes.vlt'), probesVlt(map));
  writeFileSync(join(tmp, 'probes.txt'), probeListText(map, params));
  const hdir = harnessDir();
  const args = [
    ...verilatorArgs(spec, hdir, wave),
    '--Mdir',
    'obj',
    '-o',
    BINARY,
    ...sources,
    join(tmp, 'probes.vlt'),
    ...harnessSources()
      .filter((n) => n.endsWith('.cc'))
      .map((n) => join(hdir, n)),
  ];
  const r = await run('verilator', args, tmp, await compilerCacheEnv());
  const log = join(tmp, 'build.log');
  writeFileSync(log, `verilator ${args.join(' ')}\n\n${r.output}`);
  if (r.code !== 0 || !existsSync(join(tmp, 'obj', BINARY))) {
    const failedLog = `${tmp}.log`;
    renameSync(log, failedLog);
    rmSync(tmp, { recursive: true, force: true });
    // One line: the first error (Verilator's %Error carries file:line, the compiler's file:line: error:).
    const lines = r.output.split('\n').map((l) => l.trim());
    const first = lines.find((l) => /^%Error/.test(l)) ?? lines.find((l) => /\berror:/.test(l)) ?? lines.filter(Boolean).slice(-1)[0] ?? `exit code ${r.code}`;
    throw new TsimBuildError(`building ${spec.label} failed: ${first} (full build log: ${failedLog})`, failedLog);
  }
  renameSync(join(tmp, 'obj', BINARY), join(tmp, BINARY));
  rmSync(join(tmp, 'obj'), { recursive: true, force: true });
}
