/**
 * `diff --wave` and `regress --wave`: after a divergence is found, each RTL (tsim) run is run again with an FST
 * waveform of the cycles around its divergent event, stopping at the window's end; beside each
 * FST a GTKWave save file opens it with the divergent module's probe-map signals (the report's
 * `rtl` entries) already added and the divergent cycle marked.
 *
 * Time: the harness dumps cycle c at time 2c (clock low) and 2c + 1 (after the rising edge), so a
 * cycle of the report is two time units of the waveform (targets/tsim/harness/simulator.cc). An
 * event of cycle c is what the rising edge samples: the write enable, index and data it records
 * are the values shown at time 2c (at 2c + 1 the registers already hold the next ones), so the
 * marker stands at 2c.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ProgramBundle } from '../runtime/bundle/bundle.js';
import { VtaUserError } from '../runtime/errors.js';
import type { DivergenceReport } from '../tracer/diverge/divergence.js';
import type { EventSink } from '../runtime/contract/events.js';

export interface WaveOptions {
  dir: string;
  /** Cycles dumped before and after the divergent event's cycle. */
  before: number;
  after: number;
  /**
   * Read the FST's signal names with fst2vcd on every dump even when the build's name list is
   * cached (the bench's "before" figure; default false: the list is read once per build).
   */
  noNameCache?: boolean;
}

export interface WaveDump {
  runId: number;
  target: string;
  /** The divergent event's cycle on this run, and its FST time (2c: the values its edge samples). */
  cycle: number;
  time: number;
  /** Cycles [from, to) dumped: times [2·from, 2·to). */
  from: number;
  to: number;
  fst: string;
  gtkw: string;
  /** The signals the save file adds (as the FST names them, when fst2vcd could read it back). */
  signals: string[];
}

/** What a regression case keeps of a dump (small: it crosses the worker boundary). */
export type CaseWave = Pick<WaveDump, 'target' | 'cycle' | 'time' | 'fst' | 'gtkw'>;

/** FST time at which cycle c's event shows: 2c, the clock-low half whose values the rising edge samples. */
export const eventTime = (cycle: number) => 2 * cycle;

/** A sink that wants nothing but outputs: the re-run is only for its waveform. */
const OUTPUTS_ONLY: EventSink = { wantsEvents: false, wantsIters: false, write() {}, iter() {}, retire() {} };

const isTsim = (t: string) => t === 'tsim' || t.startsWith('tsim:') || t.startsWith('tsim@');

type WaveTarget = import('../targets/tsim/target.js').TsimTarget;

/** Simulators with waveforms started ahead of their run (warmWaveTargets). */
export interface WarmWaves {
  /** The started target for this target name, once (undefined: none, or it could not start). */
  take(target: string): Promise<WaveTarget | undefined>;
  /** Close the ones never taken. */
  close(): Promise<void>;
}

/**
 * Start the waveform simulator of every tsim target now — build (cached), process, model — so
 * that the dump after a divergence does not wait for it: the process start was most of a
 * `--wave` step's cost (conv:C10, 2026-12-07, `npm run bench -- wave`). Started beside the diff
 * it costs nothing there when no divergence comes, but the idle processes, closed by close().
 * A target that cannot start is left to dumpWaves, which then starts its own (and reports why).
 */
export function warmWaveTargets(targets: string[], bundle: ProgramBundle): WarmWaves {
  const started = new Map<string, Promise<WaveTarget | undefined>>();
  for (const name of new Set(targets.filter(isTsim))) {
    started.set(
      name,
      (async () => {
        const { createTsimTarget } = await import('../targets/tsim/target.js');
        const { parseTsimTargetName } = await import('../targets/tsim/memory-option.js');
        const t = createTsimTarget({ ...parseTsimTargetName(name), wave: { from: 0, to: 0 } });
        try {
          await t.warm(bundle.params);
          return t;
        } catch {
          await t.close();
          return undefined;
        }
      })(),
    );
  }
  return {
    take(target) {
      const t = started.get(target);
      started.delete(target);
      return t ?? Promise.resolve(undefined);
    },
    async close() {
      const left = [...started.values()];
      started.clear();
      for (const t of await Promise.all(left)) await t?.close();
    },
  };
}

export async function dumpWaves(report: DivergenceReport, bundle: ProgramBundle, o: WaveOptions, warm?: WarmWaves): Promise<WaveDump[]> {
  const f = report.first;
  if (!f?.located) return [];
  const { createTsimTarget } = await import('../targets/tsim/target.js');
  const { parseTsimTargetName } = await import('../targets/tsim/memory-option.js');
  mkdirSync(o.dir, { recursive: true });
  const out: WaveDump[] = [];
  for (const run of report.runs.filter((r) => isTsim(r.target))) {
    const cycle = f.cycles[String(run.id)];
    if (cycle === null || cycle === undefined) continue;
    const from = Math.max(0, cycle - o.before);
    const to = cycle + o.after + 1;
    const base = join(o.dir, `run${run.id}-${run.target.replace(/[^\w]/g, '_')}`);
    const fst = `${base}.fst`;
    const warmed = await warm?.take(run.target);
    warmed?.setWave({ from, to, file: fst });
    const target = warmed ?? createTsimTarget({ ...parseTsimTargetName(run.target), wave: { from, to, file: fst } });
    let buildDir: string;
    try {
      // Stop at the window's end: the rest of the program would add time and nothing to the file.
      await target.run({ bundle, sink: OUTPUTS_ONLY, limits: { maxCycles: to } });
      buildDir = (await target.prepare(bundle.params)).dir;
    } finally {
      await target.close();
    }
    const wanted = (f.rtl ?? []).filter((g) => g.runs.includes(run.id)).flatMap((g) => g.entries.flatMap((e) => Object.values(e.signals)));
    const signals = fstNames(fst, wanted, o.noNameCache ? undefined : join(buildDir, FST_NAMES));
    const gtkw = `${base}.gtkw`;
    writeFileSync(gtkw, saveFile(resolve(fst), signals, from, eventTime(cycle), `${run.target} (run ${run.id}): first divergence at instruction #${f.pc}, cycle ${cycle}`));
    out.push({ runId: run.id, target: run.target, cycle, time: eventTime(cycle), from, to, fst, gtkw, signals });
  }
  await warm?.close();
  return out;
}

/**
 * Where a simulator build keeps the names its FST dumps declare: every dump of one build declares
 * the same signals (the whole design, whatever the window), so fst2vcd reads them once per build
 * — it was about a quarter of a `--wave` step on conv:C10 (2026-12-07, `npm run bench -- wave`).
 */
const FST_NAMES = 'fst-names.json';

/**
 * The probe-map signals as the FST declares them (`TOP.` before the top module, `[msb:0]` after
 * a vector), read back with GTKWave's fst2vcd (or from the build's cached list, `cache`); without
 * fst2vcd, the names with `TOP.` alone.
 */
function fstNames(fst: string, signals: string[], cache?: string): string[] {
  const cached = cache ? readNameCache(cache) : undefined;
  if (cached && signals.every((s) => cached[`TOP.${s}`] !== undefined)) return signals.map((s) => cached[`TOP.${s}`]!);
  const declared = declaredNames(fst);
  if (!declared) return signals.map((s) => `TOP.${s}`);
  if (cache) {
    // Written whole and renamed into place: parallel regression workers never read half a file.
    const tmp = `${cache}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify(Object.fromEntries(declared)));
      renameSync(tmp, cache);
    } catch {
      // A read-only cache folder only costs the next dump another fst2vcd.
    }
  }
  return signals.map((s) => declared.get(`TOP.${s}`) ?? `TOP.${s}`);
}

function readNameCache(file: string): Record<string, string> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

/** Every variable the FST declares, path → name as declared (with its `[msb:lsb]`); undefined without fst2vcd. */
function declaredNames(fst: string): Map<string, string> | undefined {
  let vcd: string;
  try {
    vcd = execFileSync('fst2vcd', ['-f', fst], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
  const declared = new Map<string, string>();
  const scope: string[] = [];
  for (const line of vcd.slice(0, vcd.indexOf('$enddefinitions')).split('\n')) {
    const w = line.trim().split(/\s+/);
    if (w[0] === '$scope') scope.push(w[2]!);
    else if (w[0] === '$upscope') scope.pop();
    else if (w[0] === '$var') {
      const path = [...scope, w[4]!].join('.');
      declared.set(path, w[5] && w[5] !== '$end' ? `${path}${w[5]}` : path);
    }
  }
  return declared;
}

/** A GTKWave save file: the dump, where the view starts, the marker, and the signals (bits binary, vectors hex). */
function saveFile(fst: string, signals: string[], from: number, marker: number, title: string): string {
  const lines = [
    `[*] vta-trace diff --wave: ${title}`,
    `[*] one cycle is two time units: cycle c at time 2c (clock low, the values its rising edge samples) and 2c+1`,
    `[dumpfile] "${fst}"`,
    `[timestart] ${2 * from}`,
    `*-4.000000 ${marker}${' -1'.repeat(26)}`,
  ];
  for (const s of signals) lines.push(/\[\d+:\d+\]$/.test(s) ? '@22' : '@28', s);
  return lines.join('\n') + '\n';
}

export function parseWaveOptions(dir: string | boolean | undefined, before: string, after: string): WaveOptions | undefined {
  if (dir === undefined || dir === false) return undefined;
  const count = (v: string, name: string) => {
    if (!/^\d+$/.test(v)) throw new VtaUserError(`${name} "${v}": expected a number of cycles`);
    return Number(v);
  };
  return { dir: dir === true ? '.' : dir, before: count(before, '--wave-before'), after: count(after, '--wave-after') };
}

/** The report's waveform lines. */
export function waveLines(dumps: WaveDump[]): string[] {
  if (!dumps.length) return [];
  return [
    '',
    'waveforms (FST; one cycle is two time units: cycle c at time 2c (the values its rising edge samples) and 2c+1):',
    ...dumps.map((d) => `  ${d.target} (run ${d.runId}): cycles ${d.from}–${d.to - 1} (times ${2 * d.from}–${2 * d.to - 1}), divergent event at cycle ${d.cycle} = time ${d.time}: ${d.fst}; open with gtkwave -a ${d.gtkw} (${d.signals.length} signals added, marker at ${d.time})`),
  ];
}
