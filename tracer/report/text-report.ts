/**
 * The human-readable divergence report (docs/report-format.md shows an example). Same content
 * as the JSON form, laid out for a terminal.
 */
import type { DivergenceReport, FirstDivergence } from '../diverge/divergence.js';
import { laneRanges, shownLanes, withGaps } from './lane-window.js';
import { sourceText } from './source-text.js';

function runName(r: DivergenceReport, id: number): string {
  const run = r.runs.find((x) => x.id === id);
  return run ? `${run.target} (run ${id})` : `run ${id}`;
}

function where(f: FirstDivergence): string {
  if (f.addr === undefined) return '';
  if (f.addr === -1) return 'retire record';
  if (f.stream === 'dram.store') return `address 0x${f.addr.toString(16)}`;
  if (f.stream?.endsWith('.iter')) return `iteration ${f.addr}`;
  return `address ${f.addr} (0x${f.addr.toString(16)})`;
}

/** Characters of lane cells in the lane table, at most (the labels and run names come on top). */
const TABLE_CHARS = 72;

/**
 * Expected and actual lanes on two rows, differing lanes marked with ^ underneath; a wide row is
 * cut to its differing lanes and a few around them, `…` where lanes are left out.
 */
function laneTable(r: DivergenceReport, f: FirstDivergence): string[] {
  if (!f.lanes) return [];
  const exp = f.lanes.values[String(f.expectedRun)];
  const act = f.lanes.values[String(f.actualRun)];
  const n = Math.max(exp?.length ?? 0, act?.length ?? 0);
  const cell = (v: number | undefined) => (v === undefined ? '—' : String(v));
  const width = (i: number) => Math.max(String(i).length, cell(exp?.[i]).length, cell(act?.[i]).length);
  // Within a terminal line: lanes beyond TABLE_CHARS of cells are left out too (wide 32-bit values).
  const shown: number[] = [];
  let used = 0;
  for (const i of shownLanes(n, f.lanes.differing)) {
    used += width(i) + 1;
    if (used > TABLE_CHARS && shown.length) break;
    shown.push(i);
  }
  const cols = withGaps(n, shown);
  const widths = cols.map((i) => (i === null ? 1 : width(i)));
  const row = (label: string, f2: (i: number) => string) => `    ${label.padEnd(10)} ${cols.map((i, k) => (i === null ? '…' : f2(i)).padStart(widths[k]!)).join(' ')}`;
  const diff = new Set(f.lanes.differing);
  const lines = [row('lane', (i) => String(i))];
  lines.push(row('expected', (i) => cell(exp?.[i])) + `   ${runName(r, f.expectedRun)}`);
  lines.push(row('actual', (i) => cell(act?.[i])) + `   ${runName(r, f.actualRun)}`);
  lines.push(`    ${''.padEnd(10)} ${cols.map((i, k) => (i !== null && diff.has(i) ? '^'.repeat(widths[k]!) : ' '.repeat(widths[k]!))).join(' ')}`);
  return lines.map((l) => l.trimEnd());
}

/** The board digests at the instruction, and what a board-only run cannot say. */
function boardLines(r: DivergenceReport, f: FirstDivergence): string[] {
  if (!f.board) return [];
  const hex = (d: number | null) => (d === null ? 'none' : `0x${d.toString(16).padStart(8, '0')}`);
  const lines = [`  board    ${Object.entries(f.board.digests).map(([id, d]) => `${runName(r, Number(id))}: ${hex(d)}`).join(', ')}`];
  if (f.board.boardOnly.length) {
    const names = f.board.boardOnly.map((id) => runName(r, id)).join(', ');
    lines.push(`  note     ${names} returned only its on-board trace unit's records: they name the instruction and its module, not the buffer, address or lanes`);
  }
  return lines;
}

/** The probe-map entries and signals behind the event, per probe map (runs sharing one together). */
function rtlLines(r: DivergenceReport, f: FirstDivergence): string[] {
  const out: string[] = [];
  for (const g of f.rtl ?? []) {
    out.push(`  rtl      ${g.runs.map((id) => runName(r, id)).join(', ')}: instance ${g.instance} (probe map ${g.probeMap})`);
    const w = Math.max(...g.entries.map((e) => e.entry.length));
    for (const e of g.entries) out.push(`             ${e.entry.padEnd(w)}  ${Object.entries(e.signals).map(([role, sig]) => `${role} ${sig}`).join(', ')}`);
  }
  return out;
}

/**
 * After a comparison of runs that stored no events (digest mode): the reproduce command records
 * the divergent window at full detail, one run per target in order, so `show last-k` browses them.
 */
function browseLines(r: DivergenceReport): string[] {
  const f = r.first;
  if (!f || !r.reproduce.includes(' --mode sram') || !r.runs.every((x) => x.mode === 'digest' || x.mode === 'outputs')) return [];
  const n = r.runs.length;
  const shows = r.runs.map((x, i) => `vta-trace show ${n - 1 - i === 0 ? 'last' : `last-${n - 1 - i}`} --insn ${f.pc}:${f.pc + 1}   (${x.target})`);
  return ['then, to browse the recorded events of the divergent instruction (with the same --db):', ...shows.map((s) => `  ${s}`)];
}

const signed = (d: number) => `${d > 0 ? '+' : ''}${d}`;

/**
 * The per-module difference of the last-retire cycle: with two runs actual − expected on one
 * line; with more, one line per run against the reference, total cycles first.
 */
function timingDeltas(r: DivergenceReport): string[] {
  const t = r.timing;
  if (r.runs.length < 3) {
    const deltas = Object.entries(t.moduleDelta).filter(([, d]) => d !== null && d !== 0);
    return deltas.length ? [`  per-module last-retire cycle difference (actual − expected): ${deltas.map(([m, d]) => `${m} ${signed(d!)}`).join(', ')}`] : [];
  }
  const rows = Object.entries(t.deltaFromReference).map(([id, d]) => {
    const parts = Object.entries(d).map(([k, v]) => `${k} ${v === null ? '—' : signed(v)}`);
    return [runName(r, Number(id)), parts.join(', ')] as const;
  });
  const w = Math.max(...rows.map(([n]) => n.length));
  return [`  cycle difference from ${runName(r, t.reference)} (run − reference; total cycles, then each module's last retire):`, ...rows.map(([n, p]) => `    ${n.padEnd(w)}  ${p}`)];
}

/** Where phase 2's events came from; a failed re-run is said, never passed off as one. */
function failureText(r: DivergenceReport, f: FirstDivergence): string {
  return (f.rerunFailures ?? []).map((x) => `${runName(r, x.runId)}: ${x.reason}`).join('; ');
}

function detailText(r: DivergenceReport, f: FirstDivergence): string {
  if (f.rerunFailures?.length) return `the window re-run failed (${failureText(r, f)}); compared what was stored`;
  return f.detail === 'stored' ? 'read from the stored events' : 're-ran the window at full detail';
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
const extentText = (e: { addr: number; bytes: number } | null) => (e ? `${hex(e.addr)}–${hex(e.addr + e.bytes - 1)} (${e.bytes} bytes)` : 'nothing there');

/** What the divergent LOAD read (the dram.load stream), beside the write: the first differing DRAM extent. */
function readLines(r: DivergenceReport, f: FirstDivergence): string[] {
  const rd = f.read;
  if (!rd) return [];
  const left = rd.skipped.length ? `; left out: ${rd.skipped.map((s) => runName(r, s.runId)).join(', ')} (no DRAM reads recorded: the target cannot report them)` : '';
  if (!rd.compared) return [`  read     DRAM reads not compared${left}`];
  if (rd.ordinal === null) {
    const n = Object.values(rd.counts)[0] ?? 0;
    return [`  read     every run read the same DRAM bytes (${n} extent${n === 1 ? '' : 's'}): the rows came from the right addresses${left}`];
  }
  const exp = String(f.expectedRun);
  const act = String(f.actualRun);
  const of = rd.counts[exp] ?? 0;
  const lines = [`  read     DRAM extent ${rd.ordinal} (of ${of}): ${runName(r, f.actualRun)} read ${extentText(rd.extents[act] ?? null)} where ${runName(r, f.expectedRun)} read ${extentText(rd.extents[exp] ?? null)}${left}`];
  const others = Object.keys(rd.extents).filter((id) => id !== exp && id !== act);
  if (others.length) lines.push(`           ${others.map((id) => `${runName(r, Number(id))}: ${extentText(rd.extents[id] ?? null)}`).join('; ')}`);
  // The read's own hint, when the row's hint is another one (it then stands on the hint line).
  if (rd.hint && f.hint?.text !== rd.hint.text) lines.push(`           ${rd.hint.text}`);
  return lines;
}

export function renderTextReport(r: DivergenceReport): string {
  const out: string[] = [];
  const targets = r.runs.map((x) => runName(r, x.id)).join(' vs ');
  if (r.values === 'agree') {
    out.push(`values agree: ${targets} (${r.bundle.insnCount} instructions, compared by ${r.method})`);
  } else if (r.verdict === 'known') {
    out.push(`KNOWN DIFFERENCE: ${targets}`);
  } else {
    out.push(`DIVERGED: ${targets}`);
  }
  if (r.methodNote) out.push(`  note: ${r.methodNote}`);
  const f = r.first;
  if (f) {
    out.push('');
    const passed = r.known.filter((k) => k.pc < f.pc);
    out.push(`first ${f.known ? 'divergence (a known difference)' : passed.length ? 'unknown divergence' : 'divergence'} at instruction #${f.pc}${f.module ? ` (${f.module})` : ''}${passed.length ? `, after ${passed.length} known difference(s): ${passed.map((k) => `#${k.pc} ${k.entry.id}`).join(', ')}` : ''}`);
    if (f.known) out.push(`  known    ${f.known.id}: ${f.known.reason}${f.known.link ? ` (${f.known.link})` : ''}`);
    out.push(`  insn     ${f.disasm}`);
    out.push(`  source   ${sourceText(f.source)}`);
    if (f.located) {
      out.push(`  stream   ${f.stream}   buffer ${f.buffer}   ${where(f)}`);
      if (f.kind === 'missing') {
        const runs = Object.entries(f.lanes?.values ?? {});
        const missing = runs.filter(([, v]) => v === null).map(([id]) => runName(r, Number(id)));
        const present = runs.filter(([, v]) => v !== null).map(([id]) => runName(r, Number(id)));
        if (f.lanes?.values[String(f.expectedRun)] === null) {
          // The expected run lacks what another run did: that run has an extra event (or retired an extra instruction).
          out.push(`  extra    on ${present.join(', ')}: ${missing.join(', ')} ${f.addr === -1 ? 'never retired this instruction' : 'has no such write'}`);
        } else {
          out.push(`  missing  on ${missing.join(', ')}${f.addr === -1 ? ': the instruction never retired' : ': no such write'}`);
        }
      }
      if (f.lanes && f.kind === 'value') {
        out.push(`  lanes    ${f.lanes.differing.length} of ${(f.lanes.values[String(f.expectedRun)] ?? []).length} differ (${f.lanes.width}-bit): ${laneRanges(f.lanes.differing)}`);
        out.push(...laneTable(r, f));
      }
      out.push(...readLines(r, f));
      if (f.hint) out.push(`  hint     ${f.hint.text}`);
      out.push(...rtlLines(r, f));
      out.push(`  cycle    ${Object.entries(f.cycles).map(([id, c]) => `${runName(r, Number(id))}: ${c ?? '—'}`).join(', ')}   (recorded, not compared)`);
      if (f.detail) out.push(`  detail   ${detailText(r, f)}`);
      out.push(...boardLines(r, f));
    } else if (f.board) {
      out.push(...boardLines(r, f));
      const detailed = r.runs.filter((x) => !f.board!.boardOnly.includes(x.id));
      if (detailed.length >= 2) out.push(`  (${detailed.map((x) => runName(r, x.id)).join(', ')} write the same here, or could not be re-run: only the board records differ)`);
    } else if (f.rerunFailures?.length) {
      out.push(`  (the digests differ here; no event detail is stored and the window re-run failed: ${failureText(r, f)}; record with --mode sram to name the event)`);
    } else {
      out.push('  (the digests differ here; no event detail is stored and the targets could not be re-run: record with --mode sram to name the event)');
    }
  } else if (r.values === 'diverge') {
    out.push('');
    // Digests that all agree (the note says what they left out); per-instruction records missing on
    // one side (a board that stopped before returning its trace: the note says so); or outputs mode.
    if (r.method === 'digests') out.push(`no recorded instruction differs: only the outputs do${r.methodNote ? ' (see the note above)' : ''}`);
    else out.push(r.methodNote ? 'no per-instruction record on every side to locate the divergence (see the note above)' : 'no per-instruction record to locate the divergence (outputs mode): only the outputs differ');
  }
  if (r.oddOneOut) out.push(`  odd one out: ${runName(r, r.oddOneOut.runId)} (by ${r.oddOneOut.basis})`);
  if (r.later.insns || r.later.events) {
    out.push(`  later mismatches (not listed): ${r.later.insns} more instruction(s), ${r.later.events} more event(s) in this one`);
  }
  for (const o of r.outputs) {
    if (!o.agree) out.push(`  output ${o.name}: ${o.differingBytes} byte(s) differ, first at offset ${o.firstDifference}`);
    if (o.goldenMismatch?.length) out.push(`  output ${o.name} differs from the golden on ${o.goldenMismatch.map((id) => runName(r, id)).join(', ')}`);
  }
  for (const a of r.abnormal) {
    out.push(`  ${runName(r, a.runId)} ended with ${a.status}${a.message ? `: ${a.message}` : ''}`);
    for (const b of a.blocked ?? []) out.push(`    blocked: instruction #${b.pc} (${b.module}) waiting on queue ${b.queue}`);
  }
  out.push('');
  const t = r.timing;
  if (t.verdict === 'same') out.push('timing: same cycle counts');
  else {
    out.push(`timing: differs — total cycles ${Object.entries(t.cycles).map(([id, c]) => `${runName(r, Number(id))}: ${c ?? '—'}`).join(', ')}`);
    out.push(...timingDeltas(r));
  }
  if (f?.context) {
    out.push('');
    out.push('preceding events (unified diff, expected vs actual):');
    out.push(...f.context.trimEnd().split('\n').filter((l) => !l.startsWith('====')).map((l) => `  ${l}`));
  }
  if (r.knownUnchecked.length) out.push(`  note: known-difference entr${r.knownUnchecked.length > 1 ? 'ies' : 'y'} ${r.knownUnchecked.join(', ')} could not be checked (the bundle's micro-ops or the design's uop depth were not at hand)`);
  if (r.values === 'diverge') {
    out.push('');
    out.push(`reproduce: ${r.reproduce}`);
    out.push(...browseLines(r));
  }
  return out.join('\n') + '\n';
}
