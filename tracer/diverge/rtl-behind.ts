/**
 * The RTL behind a divergent event: for each run on RTL whose probe map is known, the probe-map
 * entries that carried the event — the write port(s) of the buffer (enable, index, data, mask)
 * and the retire probe of the instruction's module — and the module instance they belong to, so
 * the designer can go from the report to the signals in a waveform.
 */
import type { Module } from '../../runtime/isa/insn.js';
import type { FirstDivergence } from './divergence.js';

/** The part of a probe map (targets/tsim/probe-map.ts, fixtures/probe-maps/README.md) this needs. */
export interface RtlProbeMap {
  /** Where the map is, as the report names it. */
  file: string;
  retire: Record<Module, { valid: string; insn: string }>;
  writes: Partial<Record<string, readonly { enable: string; index: string; data: string; mask?: string; group?: number }[]>>;
}

/** The probe map of a run's target, when the target is RTL whose map is known. */
export type ProbeMapOf = (target: string) => RtlProbeMap | undefined;

export interface RtlEntry {
  /** The probe-map key: `writes.inp`, `writes.acc[1]`, `retire.load`. */
  entry: string;
  /** Role → hierarchical signal name (enable, index, data, mask; valid, insn). */
  signals: Record<string, string>;
}

export interface RtlBehind {
  /** The runs these signals belong to (runs sharing one probe map are listed together). */
  runs: number[];
  probeMap: string;
  /** The module instance whose instruction wrote the event (the scope of its retire probe). */
  instance: string;
  entries: RtlEntry[];
}

/** The scope a hierarchical signal sits in: `a.b.c.sig` → `a.b.c`. */
const scopeOf = (signal: string) => signal.slice(0, signal.lastIndexOf('.'));

export function rtlBehind(first: FirstDivergence, runs: { id: number; target: string }[], probesOf: ProbeMapOf | undefined): RtlBehind[] {
  if (!probesOf || !first.located || !first.module) return [];
  const module = first.module;
  const byFile = new Map<string, { map: RtlProbeMap; runs: number[] }>();
  for (const r of runs) {
    const map = probesOf(r.target);
    if (!map) continue;
    const g = byFile.get(map.file) ?? { map, runs: [] };
    g.runs.push(r.id);
    byFile.set(map.file, g);
  }
  return [...byFile.values()].map(({ map, runs: ids }) => {
    const entries: RtlEntry[] = [];
    const buffer = first.stream?.startsWith('sram.') ? first.stream.slice(5) : undefined;
    const ports = buffer ? (map.writes[buffer] ?? []) : [];
    ports.forEach((p, i) => {
      const signals: Record<string, string> = { enable: p.enable, index: p.index, data: p.data };
      if (p.mask) signals.mask = p.mask;
      entries.push({ entry: ports.length > 1 ? `writes.${buffer}[${i}]` : `writes.${buffer}`, signals });
    });
    entries.push({ entry: `retire.${module}`, signals: { valid: map.retire[module].valid, insn: map.retire[module].insn } });
    return { runs: ids, probeMap: map.file, instance: scopeOf(map.retire[module].valid), entries };
  });
}
