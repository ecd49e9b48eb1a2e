/**
 * `vta-trace diff A B [C…] (--workload NAME | --bundle FILE)`: run the targets on one bundle,
 * record their traces and report the first divergence. `vta-trace diff [--db FILE] RUN_A RUN_B`
 * compares stored runs. Exit 0 when the values agree, 1 when they diverge, 2 on error.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { loadBundle } from '../../runtime/bundle/bundle-file.js';
import { fixtureNameOf, resolveConfig } from '../../runtime/config/fixtures.js';
import { VtaUserError } from '../../runtime/errors.js';
import { repoRoot } from '../../runtime/repo.js';
import { buildWorkload } from '../../runtime/workloads/index.js';
import { addSeedAndConfig, buildNamedWorkload, WORKLOAD_HELP } from '../workload-option.js';
import { gitProvenance } from '../../regression/results/provenance.js';
import { bundleHash } from '../../tracer/store/bundle-record.js';
import { collect, designContext, knownContext } from '../../regression/design-context.js';
import { diffTargets } from '../../tracer/diff-targets.js';
import type { DivergenceReport } from '../../tracer/diverge/divergence.js';
import { findFirstDivergence } from '../../tracer/diverge/engine.js';
import { probeMapOfTarget } from '../../targets/rtl-probe-map.js';
import { dumpWaves, parseWaveOptions, warmWaveTargets, waveLines, type WaveDump } from '../../regression/divergence-wave.js';
import { makeRerun, type BundleSource, type TargetFactory } from '../../tracer/diverge/rerun.js';
import { FAULT_FORMS } from '../../targets/fsim/faults.js';
import { createTarget } from '../../targets/registry.js';
import { renderTextReport } from '../../tracer/report/text-report.js';
import { makeTraceSpec } from '../../tracer/spec.js';
import { TraceStore } from '../../tracer/store/trace-store.js';
import { cycleLimitArg, intArg, timeoutArg } from '../int-option.js';
import { writeHtmlReport } from './report.js';

export const DEFAULT_DB = 'vta-trace.db';
/** Context before a divergence: more than this many instructions is no longer context. */
const MAX_WINDOW = 10_000;

interface DiffOptions {
  workload?: string;
  bundle?: string;
  mode: string;
  buffers?: string;
  insn?: string;
  cycles?: string;
  kinds?: string;
  db: string;
  config?: string;
  seed?: number;
  json?: boolean;
  window: number;
  timeoutMs?: number;
  boards?: string;
  known?: string[];
  idleCycles?: number;
  acceptCycles?: number;
  wave?: string | boolean;
  waveBefore: string;
  waveAfter: string;
  html?: string;
}

/** A stored run's bundle, rebuilt from its workload record (name, parameters, seed, configuration). */
function rebuildStored(w: NonNullable<ProgramBundle['workload']>, config: string): ProgramBundle {
  return buildWorkload(w.name, { config: resolveConfig(config), seed: w.seed ?? 0, ...(w.params ? { params: { ...w.params } } : {}) });
}

function print(report: DivergenceReport, json: boolean | undefined, waves?: WaveDump[]): void {
  if (json) process.stdout.write(JSON.stringify(waves ? { ...report, waves } : report, null, 2) + '\n');
  else process.stdout.write(renderTextReport(report) + (waves?.length ? waveLines(waves).join('\n') + '\n' : ''));
  const abnormal = report.runs.some((r) => r.status !== 'ok');
  // A known difference is accepted (its abnormal end too, when the entry names that status).
  process.exitCode = report.verdict === 'known' ? 0 : report.values === 'diverge' || abnormal ? 1 : 0;
}

async function runDiff(items: string[], o: DiffOptions): Promise<void> {
  // --boards: fpga:<board> and fpga:* resolve through that file, also in re-runs of stored runs.
  const boardsFile = o.boards !== undefined ? resolve(o.boards) : undefined;
  const idle = o.idleCycles !== undefined ? { idleCycles: o.idleCycles } : {};
  const accept = o.acceptCycles !== undefined ? { acceptCycles: o.acceptCycles } : {};
  const targetFactory: TargetFactory = (name) => createTarget(name, { boardsFile, ...idle, ...accept });
  const window = o.window;
  const wave = parseWaveOptions(o.wave, o.waveBefore, o.waveAfter);
  if (o.workload && o.bundle) throw new VtaUserError('give either --workload or --bundle, not both');
  if (o.workload || o.bundle) {
    if (items.length < 2) throw new VtaUserError(`diff needs at least two targets, got ${items.length}`);
    const spec = makeTraceSpec({ mode: o.mode, buffers: o.buffers, insn: o.insn, cycles: o.cycles, kinds: o.kinds });
    // Design descriptions among the targets: generated workloads keep to what they implement.
    const designs = await designContext(items, o.known);
    const named = o.bundle ? undefined : buildNamedWorkload(o.workload!, o, designs.capabilities);
    const bundle = named ? named.bundle : loadBundle(o.bundle!);
    const store = TraceStore.open(o.db);
    // The checkout whose targets and RTL made the runs (docs/trace-schema.md), not the one the
    // command happens to run in; dirty when it has changes or untracked files (an untracked RTL variant).
    const provenance = gitProvenance(repoRoot());
    // The waveform simulators start beside the diff, so the dump after a divergence need not wait for them.
    const warm = wave ? warmWaveTargets(items, bundle) : undefined;
    try {
      const { runIds, report } = await diffTargets({
        targets: items,
        createTarget: targetFactory,
        bundle,
        spec,
        store,
        // A bundle file carries its own configuration: name it (when it is a fixture), never --config.
        configName: named ? named.config : fixtureNameOf(bundle.params),
        // The checkout whose targets and RTL made the runs (docs/trace-schema.md), not the one the
        // command happens to run in.
        gitCommit: provenance.commit,
        gitDirty: provenance.commit !== undefined ? provenance.dirty : undefined,
        bundlePath: o.bundle,
        window,
        probes: probeMapOfTarget,
        known: knownContext(designs, bundle),
        limits: o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : undefined,
      });
      if (report.values === 'diverge') store.saveDivergence(runIds, report.values, { pc: report.first?.pc, stream: report.first?.stream, addr: report.first?.addr }, JSON.stringify(report));
      print(report, o.json, wave ? await dumpWaves(report, bundle, wave, warm) : undefined);
      if (o.html) process.stderr.write((await writeHtmlReport(store, runIds, o.html, { dbFile: o.db, report })) + '\n');
    } finally {
      await warm?.close();
      store.close();
    }
    return;
  }
  if (items.length < 2) throw new VtaUserError('diff needs two or more stored run ids (or target names with --workload/--bundle)');
  if (wave) throw new VtaUserError('--wave re-runs the targets: give them with --workload or --bundle, not stored run ids');
  const store = TraceStore.open(o.db, { mustExist: true });
  try {
    const runIds = items.map((t) => store.resolveRun(t).id);
    const getBundle: BundleSource = async (stored) => {
      if (stored.bundlePath) return loadBundle(stored.bundlePath);
      const w = stored.workload;
      if (!w?.name) return undefined;
      // The workload's recorded parameters (e.g. the capabilities a random program kept to) rebuild the same bundle.
      return rebuildStored(w, store.run(runIds[0]!).configName ?? o.config ?? 'default');
    };
    const designs = await designContext(runIds.map((id) => store.run(id).target), o.known, true);
    const stored = store.bundle(store.run(runIds[0]!).bundleHash);
    const bundle = designs.known.length ? await getBundle(stored).catch(() => undefined) : undefined;
    const report = await findFirstDivergence(store, runIds, {
      window,
      rerun: makeRerun(targetFactory, getBundle),
      dbFile: o.db,
      probes: probeMapOfTarget,
      known: knownContext(designs, bundle && bundleHash(bundle) === stored.hash ? bundle : undefined),
    });
    print(report, o.json);
    if (o.html) process.stderr.write((await writeHtmlReport(store, runIds, o.html, { dbFile: o.db, report })) + '\n');
  } finally {
    store.close();
  }
}

export function registerDiff(program: Command): void {
  const cmd = program
    .command('diff')
    .description('run targets on one bundle (or take stored runs) and report their first divergence')
    .argument('<items...>', 'target names (with --workload/--bundle) or stored run ids (last, last-1 allowed)')
    .addHelpText(
      'after',
      `
Targets: fsim, fsim+<fault>, tsim, tsim:<variant>, tsim[:<variant>]@emu:SEED,
  tsim=DESIGN.json[@emu:SEED] (a design description file, docs/design-description.md),
  fpga (a local emulated board), fpga@emu:SEED[,no-probes][,rtl=<variant>],
  fpga:<board> (a board of the boards file: --boards FILE, else $VTA_TRACE_BOARDS, else ./vta-boards.json),
  fpga:* (every board of the boards file: here the first that answers, recorded under its name;
  regress --targets fsim,fpga:* spreads the runs over all of them).
Faults (fsim+<fault>, e.g. fsim+gemm-lane:pc=4,lane=3): ${FAULT_FORMS.join(', ')}.`,
    )
    .option('--workload <name>', WORKLOAD_HELP)
    .option('--bundle <file>', 'run a saved bundle file')
    .option('--mode <mode>', 'trace mode: outputs, digest, insn, sram, full', 'digest')
    .option('--buffers <list>', 'only these buffers: uop,inp,wgt,acc,out,dram')
    .option('--insn <A:B>', 'only instructions A (inclusive) to B (exclusive)')
    .option('--cycles <A:B>', 'only events in cycles A to B')
    .option('--kinds <list>', 'store exactly these event kinds (stream names)')
    .option('--db <file>', 'trace database', DEFAULT_DB)
    .option('--window <n>', 'instructions of context before the divergence (0 to 10000)', intArg('--window', 0, MAX_WINDOW), 8)
    .option('--timeout-ms <n>', 'wall-clock limit per run (1 to 2^31−1 ms; default 1800000, 30 min)', timeoutArg('--timeout-ms'))
    .option('--boards <file>', 'the boards file fpga:<board> and fpga:* use (default: $VTA_TRACE_BOARDS, else ./vta-boards.json)')
    .option('--known <file>', 'a known-differences file (docs/known-differences.md); repeatable', collect)
    .option('--idle-cycles <n>', 'tsim: cycles without any progress before a run is a hang (default 200000)', cycleLimitArg('--idle-cycles'))
    .option('--accept-cycles <n>', 'tsim: cycles a module may sit idle with its next instruction unaccepted, everything else still, before the run is a hang naming it (default 2000)', cycleLimitArg('--accept-cycles'))
    .option('--json', 'print the report as JSON (docs/report-format.md)')
    .option('--wave [dir]', 'dump an FST of each tsim run around the first divergence, with a GTKWave save file (into dir, default .)')
    .option('--html <file>', 'also write the HTML report of the runs (docs/html-report.md)')
    .option('--wave-before <n>', 'cycles dumped before the divergent event', '50')
    .option('--wave-after <n>', 'cycles dumped after the divergent event', '20')
    .action((items: string[], o: DiffOptions) => runDiff(items, o));
  addSeedAndConfig(cmd);
}
