/**
 * `vta-trace export --vcd`: the VCD is read back by GTKWave's own tools (vcd2fst, then fst2vcd
 * to text: a reader that is not ours; ci/ensure-gtkwave.sh installs them), and what it holds is
 * checked against the run itself — its retire counts (the target's counters) and the events
 * `show --json` lists.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

let dir: string;
let db: string;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Wave {
  /** `scope.name` → id */
  ids: Map<string, string>;
  /** id → [time, value] in time order */
  changes: Map<string, [number, string][]>;
}

/** The text fst2vcd prints, as signals and their value changes. */
function parseVcd(text: string): Wave {
  const ids = new Map<string, string>();
  const changes = new Map<string, [number, string][]>();
  const scope: string[] = [];
  let t = 0;
  for (const line of text.split('\n')) {
    const w = line.trim().split(/\s+/);
    if (w[0] === '$scope') scope.push(w[2]!);
    else if (w[0] === '$upscope') scope.pop();
    else if (w[0] === '$var') ids.set([...scope, w[4]!].join('.'), w[3]!);
    else if (/^#\d+$/.test(w[0]!)) t = Number(w[0]!.slice(1));
    else if (/^b[01xz]+$/.test(w[0]!) && w[1]) push(changes, w[1], t, w[0]!.slice(1));
    else if (/^[01xz]\S+$/.test(w[0]!) && w.length === 1) push(changes, w[0]!.slice(1), t, w[0]![0]!);
  }
  return { ids, changes };
}

function push(m: Map<string, [number, string][]>, id: string, t: number, v: string): void {
  if (!m.has(id)) m.set(id, []);
  m.get(id)!.push([t, v]);
}

const valueAt = (w: Wave, sig: string, t: number) => {
  let v: string | undefined;
  for (const [ct, cv] of w.changes.get(w.ids.get(sig)!) ?? []) if (ct <= t) v = cv;
  return v;
};

describe('vta-trace export --vcd', () => {
  let wave: Wave;
  let ticks: number;
  let show: { run: { counters: { insns: Record<string, number> } }; events: { pc: number; stream: string; addr: number; cycle: number; lanes: number[] }[] };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vta-export-'));
    db = join(dir, 'runs.db');
    expect((await runCli('diff', 'fsim', 'fsim+acc-offset:pc=4,by=5', '--workload', 'vec:matmul_blocked_4x4', '--mode', 'sram', '--db', db)).code).toBe(1);
    const vcd = join(dir, 'runs.vcd');
    const r = await runCli('export', '1', '2', '--vcd', vcd, '--db', db);
    expect(r.code, r.err).toBe(0);
    ticks = Number(/cycle c at time c\*(\d+)/.exec(r.out)![1]);
    execFileSync('vcd2fst', [vcd, join(dir, 'runs.fst')], { stdio: 'pipe' });
    wave = parseVcd(execFileSync('fst2vcd', [join(dir, 'runs.fst')], { encoding: 'utf8', maxBuffer: 1 << 28 }));
    show = JSON.parse((await runCli('show', '1', '--limit', '0', '--json', '--db', db)).out);
  });

  it('both runs, each with pc and retire per module and write index and data per buffer', () => {
    for (const run of ['run1_fsim', 'run2_fsim_acc_offset_pc_4_by_5']) {
      for (const m of ['load', 'compute', 'store']) for (const s of ['pc', 'retire']) expect(wave.ids.has(`${run}.${m}.${s}`), `${run}.${m}.${s}`).toBe(true);
      for (const b of ['uop', 'inp', 'wgt', 'acc']) for (const s of ['we', 'widx', 'wdata']) expect(wave.ids.has(`${run}.${b}.${s}`), `${run}.${b}.${s}`).toBe(true);
    }
  });

  it('one retire pulse per retired instruction of each module (the counters of the run)', () => {
    for (const m of ['load', 'compute', 'store']) {
      const rises = (wave.changes.get(wave.ids.get(`run1_fsim.${m}.retire`)!) ?? []).filter(([, v]) => v === '1').length;
      expect(rises, m).toBe(show.run.counters.insns[m]);
    }
  });

  it('every write of run 1 is on the cycle axis with its index and bits, and each retire sets pc', () => {
    const used = new Map<string, number>();
    for (const e of show.events) {
      const k = `${e.stream}:${e.cycle}`;
      const slot = used.get(k) ?? 0;
      used.set(k, slot + 1);
      const t = e.cycle * ticks + slot;
      expect(slot).toBeLessThan(ticks);
      if (e.addr === -1) {
        expect(parseInt(valueAt(wave, `run1_fsim.${e.stream.slice(5)}.pc`, t)!, 2), `#${e.pc}`).toBe(e.pc);
        continue;
      }
      const buf = e.stream === 'dram.store' ? 'dram' : e.stream.slice(5);
      expect(parseInt(valueAt(wave, `run1_fsim.${buf}.${buf === 'dram' ? 'addr' : 'widx'}`, t)!, 2)).toBe(e.addr);
      expect(valueAt(wave, `run1_fsim.${buf}.we`, t)).toBe('1');
      if (e.stream === 'sram.acc') {
        // 32-bit lanes, lane 0 in the low bits: the vector read back, split from the right.
        const v = valueAt(wave, `run1_fsim.acc.wdata`, t)!.padStart(32 * e.lanes.length, '0');
        const lanes = e.lanes.map((_, i) => v.slice(v.length - 32 * (i + 1), v.length - 32 * i)).map((b) => parseInt(b, 2) | 0);
        expect(lanes).toEqual(e.lanes);
      }
    }
  });

  it('a run stored without events is refused with one line', async () => {
    const d = join(dir, 'digest.db');
    await runCli('diff', 'fsim', 'fsim', '--workload', 'vec:matmul_blocked_4x4', '--db', d);
    const r = await runCli('export', '1', '--vcd', join(dir, 'x.vcd'), '--db', d);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/run 1 \(fsim\) was stored in mode digest, without events/);
  });
});
