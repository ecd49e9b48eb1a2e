/**
 * Shrink on full-size ResNet-18 layers (default configuration): wall time and final size of
 * `vta-trace shrink` over seeded bugs — fsim faults (fsim against fsim+<fault>, ten of them over
 * the layers) and the RTL variants that a convolution exercises (fsim against tsim:<variant>; a
 * variant's model is built on first use, then cached). Goal (issue 21): median ≤ 60 s and
 * ≤ 5 % of the instructions. Mutants (issue 21 item 1) are not on this branch.
 */
import { resolveConfig } from '../runtime/config/fixtures.js';
import { insnBytes } from '../runtime/bundle/bundle.js';
import { decodeProgram } from '../runtime/isa/codec.js';
import { mnemonic } from '../runtime/isa/disasm.js';
import { buildWorkload } from '../runtime/workloads/index.js';
import { shrinkBundle } from '../regression/shrink/shrink.js';

type Figures = Record<string, number | string>;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function benchShrink(): Promise<Figures> {
  const params = resolveConfig('default');
  const layer = (name: string) => buildWorkload(name, { config: params, seed: 1 });
  const nth = (b: ReturnType<typeof layer>, m: string, k: number) => decodeProgram(b.params, insnBytes(b)).map((i) => mnemonic(b.params, i)).flatMap((x, pc) => (x === m ? [pc] : []))[k]!;
  const bugs: { label: string; workload: string; target: (b: ReturnType<typeof layer>) => string }[] = [
    { label: 'C2 gemm-lane', workload: 'conv:C2', target: (b) => `fsim+gemm-lane:pc=${nth(b, 'GEMM', 20)},lane=3` },
    { label: 'C2 alu-op', workload: 'conv:C2', target: (b) => `fsim+alu-op:pc=${nth(b, 'ALU MAX', 3)},op=2` },
    { label: 'C2 wgt-row', workload: 'conv:C2', target: (b) => `fsim+wgt-row:pc=${nth(b, 'LOAD WGT', 30)},row=5` },
    { label: 'C3 load-offset', workload: 'conv:C3', target: (b) => `fsim+load-offset:pc=${nth(b, 'LOAD INP', 7)},by=2` },
    { label: 'C4 acc-offset', workload: 'conv:C4', target: (b) => `fsim+acc-offset:pc=${nth(b, 'ALU SHR', 2)},by=3` },
    { label: 'C5 pad-off-by-one', workload: 'conv:C5', target: (b) => `fsim+pad-off-by-one:pc=${nth(b, 'LOAD INP', 1)}` },
    { label: 'C6 acc-negate', workload: 'conv:C6', target: (b) => `fsim+acc-negate:pc=${nth(b, 'GEMM', 5)}` },
    { label: 'C7 acc-stale', workload: 'conv:C7', target: (b) => `fsim+acc-stale:pc=${nth(b, 'ALU MIN', 1)}` },
    { label: 'C8 gemm-lane', workload: 'conv:C8', target: (b) => `fsim+gemm-lane:pc=${nth(b, 'GEMM', 9)},lane=15` },
    { label: 'C9 acc-rotate', workload: 'conv:C9', target: (b) => `fsim+acc-rotate:pc=${nth(b, 'GEMM', 2)},by=1` },
    { label: 'C2 tsim:load-next-row', workload: 'conv:C2', target: () => 'tsim:load-next-row' },
    { label: 'C2 tsim:pad-value', workload: 'conv:C2', target: () => 'tsim:pad-value' },
    { label: 'C2 tsim:uop-late', workload: 'conv:C2', target: () => 'tsim:uop-late' },
  ];
  const only = process.env.VTA_BENCH_SHRINK;
  const f: Figures = {};
  const seconds: number[] = [];
  const shares: number[] = [];
  for (const bug of bugs) {
    if (only && !bug.label.includes(only)) continue;
    const b = layer(bug.workload);
    const target = bug.target(b);
    try {
      const r = await shrinkBundle(b, ['fsim', target]);
      seconds.push(r.seconds);
      shares.push(r.after / r.before);
      f[`${bug.label}`] = `${r.before} → ${r.after} insns (${((100 * r.after) / r.before).toFixed(1)} %) in ${r.seconds.toFixed(1)} s, ${r.stats.candidates} candidates, ${r.signature.insn} ${r.signature.stream}`;
    } catch (e) {
      f[`${bug.label}`] = `not shrunk: ${(e as Error).message.split('\n')[0]}`;
    }
  }
  f['bugs shrunk'] = seconds.length;
  if (seconds.length) {
    f['median wall s'] = median(seconds);
    f['max wall s'] = Math.max(...seconds);
    f['median final size %'] = 100 * median(shares);
    f['max final size %'] = 100 * Math.max(...shares);
  }
  return f;
}
