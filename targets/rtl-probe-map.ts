/**
 * Which probe map describes a target's RTL, by target name, for reports that point at signals:
 * tsim and its seeded-bug variants (the variants shadow files, not signal names), and the local
 * emulated board, run our RTL (fixtures/probe-maps/vta-trace-rtl.json); fsim and real boards
 * have none known here.
 */
import { relative } from 'node:path';
import { repoPath, repoRoot } from '../runtime/repo.js';
import type { Module } from '../runtime/isa/insn.js';
import { loadProbeMap, type IndexPart } from './tsim/probe-map.js';

/** An index composed of fields (split memories: `{row, half}`) as the report names it: `{a, 1'd1}`. */
function indexText(parts: IndexPart[]): string {
  const one = (p: IndexPart) => ('signal' in p ? p.signal : `${p.bits}'d${p.value}`);
  return parts.length === 1 ? one(parts[0]!) : `{${parts.map(one).join(', ')}}`;
}

/** The signals a report names: the probe map's retire probes and write ports, each index as one text. */
export interface ReportProbeMap {
  file: string;
  retire: Record<Module, { valid: string; insn: string }>;
  writes: Record<string, { enable: string; index: string; data: string; mask?: string; group?: number }[]>;
}

// The report's view of a probe map (tracer/diverge/rtl-behind.ts) is a structural subset of
// ProbeMap: the CLI passes this lookup to the tracer without either layer importing the other.
let own: ReportProbeMap | undefined;

function ownProbeMap(): ReportProbeMap {
  if (!own) {
    const path = repoPath('fixtures', 'probe-maps', 'vta-trace-rtl.json');
    const map = loadProbeMap(path);
    const writes = Object.fromEntries(Object.entries(map.writes).map(([buffer, ports]) => [buffer, ports!.map((w) => ({ ...w, index: indexText(w.index) }))]));
    own = { retire: map.retire, writes, file: relative(repoRoot(), path) };
  }
  return own;
}

export function probeMapOfTarget(target: string): ReportProbeMap | undefined {
  if (target === 'tsim' || target.startsWith('tsim:') || target.startsWith('tsim@')) return ownProbeMap();
  // fpga and fpga@emu:SEED[,…] are the emulated board on loopback (our RTL); fpga:<board> is a real board.
  if (target === 'fpga' || target.startsWith('fpga@') || target.startsWith('fpga,')) return ownProbeMap();
  return undefined;
}
