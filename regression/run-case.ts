/**
 * Run one case: build its bundle, run every target with outputs only, compare each with the golden
 * result (when the workload has one) and with the first target; on a mismatch, re-run the case
 * with the tracer into a scratch database to find the first divergence and its signature.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../runtime/config/fixtures.js';
import { buildWorkload } from '../runtime/workloads/index.js';
import { createTarget } from '../targets/registry.js';
import type { RunResult } from '../targets/target.js';
import { diffTargets } from '../tracer/diff-targets.js';
import type { EventSink } from '../tracer/events.js';
import { makeTraceSpec } from '../tracer/spec.js';
import { TraceStore } from '../tracer/store/trace-store.js';
import { outputMismatches } from '../tracer/trace-run.js';
import type { CaseResult, TargetOutcome } from './case-result.js';
import type { CaseSpec } from './suites.js';

const OUTPUTS_ONLY: EventSink = { wantsEvents: false, wantsIters: false, write() {}, iter() {}, retire() {} };
const LIMITS = { maxCycles: 20_000_000, timeoutMs: 120_000 };

function sameOutputs(a: RunResult, b: RunResult): boolean {
  if (a.outputs.length !== b.outputs.length) return false;
  return a.outputs.every((o, i) => Buffer.compare(Buffer.from(o.bytes), Buffer.from(b.outputs[i]!.bytes)) === 0);
}

export async function runCase(c: CaseSpec): Promise<CaseResult> {
  const t0 = Date.now();
  const seconds = () => (Date.now() - t0) / 1000;
  let bundle;
  try {
    bundle = buildWorkload(c.workload, { config: resolveConfig(c.config), seed: c.seed });
  } catch (e) {
    return { id: c.id, verdict: 'error', reason: (e as Error).message, signature: 'build error', outcomes: [], seconds: seconds() };
  }
  const outcomes: TargetOutcome[] = [];
  const results: RunResult[] = [];
  for (const name of c.targets) {
    const target = await createTarget(name);
    try {
      const r = await target.run({ bundle, sink: OUTPUTS_ONLY, limits: LIMITS });
      results.push(r);
      outcomes.push({ target: name, status: r.status, cycles: r.counters.cycles, counters: r.counters, ...(r.message ? { message: r.message } : {}) });
    } finally {
      await target.close();
    }
  }
  const problems: string[] = [];
  results.forEach((r, i) => {
    if (r.status !== 'ok') problems.push(`${c.targets[i]} ended ${r.status}${r.message ? `: ${r.message}` : ''}`);
    else if (c.golden && outputMismatches(bundle, r.outputs).length) problems.push(`${c.targets[i]} outputs differ from the golden result`);
    else if (i > 0 && results[0]!.status === 'ok' && !sameOutputs(results[0]!, r)) problems.push(`${c.targets[i]} outputs differ from ${c.targets[0]}`);
  });
  if (problems.length === 0) return { id: c.id, verdict: 'pass', outcomes, seconds: seconds() };

  if (c.targets.length < 2) {
    const abnormal = outcomes.find((o) => o.status !== 'ok');
    return { id: c.id, verdict: 'fail', reason: problems.join('; '), signature: abnormal ? abnormal.status : 'golden mismatch', outcomes, seconds: seconds() };
  }
  // Detailed re-run: the tracer names the first divergence; its kind and stream are the signature.
  const dir = mkdtempSync(join(tmpdir(), 'vta-regress-'));
  const store = TraceStore.open(join(dir, 'case.db'));
  try {
    const { report } = await diffTargets({ targets: c.targets, createTarget, bundle, spec: makeTraceSpec({ mode: 'digest' }), store, limits: LIMITS });
    const f = report.first;
    const kind = f?.disasm.split(/\s{2,}|\s\|/)[0]?.trim() ?? 'unknown';
    const abnormal = outcomes.find((o) => o.status !== 'ok');
    const signature = f ? `${kind} ${f.stream ?? ''}`.trim() : abnormal ? abnormal.status : 'outputs only';
    return {
      id: c.id,
      verdict: 'fail',
      reason: problems.join('; '),
      signature,
      ...(f ? { divergence: { pc: f.pc, stream: f.stream, addr: f.addr, disasm: f.disasm } } : {}),
      outcomes,
      seconds: seconds(),
    };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
