/**
 * Which probe map describes a target's RTL, by target name, for reports that point at signals:
 * tsim and its seeded-bug variants (the variants shadow files, not signal names), and the local
 * emulated board, run our RTL (fixtures/probe-maps/vta-trace-rtl.json); fsim and real boards
 * have none known here.
 */
import { relative } from 'node:path';
import { repoPath, repoRoot } from '../runtime/repo.js';
import { loadProbeMap, type ProbeMap } from './tsim/probe-map.js';

// The report's view of a probe map (tracer/diverge/rtl-behind.ts) is a structural subset of
// ProbeMap: the CLI passes this lookup to the tracer without either layer importing the other.
let own: ProbeMap | undefined;

function ownProbeMap(): ProbeMap {
  if (!own) {
    const path = repoPath('fixtures', 'probe-maps', 'vta-trace-rtl.json');
    own = { ...loadProbeMap(path), file: relative(repoRoot(), path) };
  }
  return own;
}

export function probeMapOfTarget(target: string): ProbeMap | undefined {
  if (target === 'tsim' || target.startsWith('tsim:') || target.startsWith('tsim@')) return ownProbeMap();
  // fpga and fpga@emu:SEED[,…] are the emulated board on loopback (our RTL); fpga:<board> is a real board.
  if (target === 'fpga' || target.startsWith('fpga@') || target.startsWith('fpga,')) return ownProbeMap();
  return undefined;
}
