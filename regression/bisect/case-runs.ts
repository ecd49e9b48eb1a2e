/**
 * One case run on the design of one commit, recorded in the bisect's trace database. Runs are
 * keyed by the simulator build (whose key covers every compiled source, the probe map, the
 * configuration and the harness: targets/tsim/build.ts) and the bundle, so commits that leave the
 * design's sources as they were share a build and a run, also across invocations. A commit whose
 * design cannot be made or built is "skip" (git bisect's 125), with the one-line reason.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { ProbeMapError, RtlDescriptionError, TsimBuildError } from '../../targets/tsim/errors.js';
import { RtlPatchError } from '../../targets/tsim/rtl-patch.js';
import { createTsimTarget, type TsimTarget } from '../../targets/tsim/target.js';
import { makeTraceSpec } from '../../tracer/spec.js';
import { RUN_STATUSES } from '../../tracer/store/schema.js';
import type { TraceStore } from '../../tracer/store/trace-store.js';
import { bundleHash } from '../../tracer/store/bundle-record.js';
import { traceRun } from '../../tracer/trace-run.js';

export type CommitRun = { kind: 'run'; runId: number; reused: boolean } | { kind: 'skip'; reason: string };

/** Errors that mean "this commit's design cannot be built", not "the command is wrong". */
function cannotBuild(e: unknown): e is Error {
  return e instanceof TsimBuildError || e instanceof RtlPatchError || e instanceof RtlDescriptionError || e instanceof ProbeMapError;
}

/** Run statuses a finished run can have; an interrupted (or still running) one is run again. */
const FINISHED = new Set<string>(RUN_STATUSES.filter((s) => s !== 'running' && s !== 'interrupted'));

export class CaseRuns {
  private readonly index: Record<string, number>;

  constructor(
    private readonly store: TraceStore,
    private readonly bundle: ProgramBundle,
    private readonly configName: string,
    /** A JSON file beside the database: build key + bundle hash → run id. */
    private readonly indexFile: string,
  ) {
    this.index = existsSync(indexFile) ? (JSON.parse(readFileSync(indexFile, 'utf8')) as Record<string, number>) : {};
  }

  /** The case on the design `designFile` describes (a commit's), recorded once per build. */
  async runOn(designFile: string | (() => Promise<string>), gitCommit?: string): Promise<CommitRun> {
    let target: TsimTarget | undefined;
    try {
      const file = typeof designFile === 'string' ? designFile : await designFile();
      target = createTsimTarget({ rtl: file });
      const built = await target.prepare(this.bundle.params);
      const key = `${basename(built.dir)}:${bundleHash(this.bundle)}`;
      const known = this.index[key];
      if (known !== undefined && this.finished(known)) return { kind: 'run', runId: known, reused: true };
      const r = await traceRun({ target, bundle: this.bundle, spec: makeTraceSpec({ mode: 'digest' }), store: this.store, configName: this.configName, ...(gitCommit ? { gitCommit, gitDirty: false } : {}) });
      this.index[key] = r.runId;
      writeFileSync(this.indexFile, `${JSON.stringify(this.index, null, 1)}\n`);
      return { kind: 'run', runId: r.runId, reused: false };
    } catch (e) {
      if (cannotBuild(e)) return { kind: 'skip', reason: e.message.split('\n')[0]! };
      throw e;
    } finally {
      await target?.close();
    }
  }

  private finished(runId: number): boolean {
    try {
      return FINISHED.has(this.store.run(runId).status);
    } catch {
      return false;
    }
  }
}
