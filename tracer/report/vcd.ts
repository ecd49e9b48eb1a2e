/**
 * An architectural trace as VCD (IEEE 1364 value change dump), so runs of different targets open
 * side by side in GTKWave or Surfer on one cycle axis. Per run a scope `run<ID>_<target>`; in it
 * per module `pc` (32 bits) and a `retire` pulse; per buffer `we`, `widx` (32 bits) and `wdata`
 * (the element's bits); for DRAM stores `we`, `addr` and `data`.
 *
 * Time: cycle c is at time c·S. A target may report several writes of one buffer in one cycle
 * (fsim reports an instruction's rows at its end; two ACC ports write together), and a signal has
 * one value per time, so those writes take the ticks c·S, c·S+1, …: S is the smallest power of
 * ten above the most writes any stream has in one cycle (at least 10, so a pulse ends inside its
 * cycle), and the timescale is 1 ns / S — one cycle reads as 1 ns.
 */
import { MODULES, type Module } from '../../runtime/isa/insn.js';
import type { WindowEvent } from '../diverge/window-events.js';
import type { Stream } from '../../runtime/contract/events.js';

export interface VcdRun {
  id: number;
  target: string;
  events: WindowEvent[];
}

interface Signal {
  id: string;
  scope: string;
  name: string;
  width: number;
  /** time → value (bit string, or '0'/'1' for one bit). */
  changes: Map<number, string>;
}

const RETIRE_MODULE: Partial<Record<Stream, Module>> = { 'insn.load': 'load', 'insn.compute': 'compute', 'insn.store': 'store' };

/** VCD identifier codes: printable ASCII from '!' to '~', as many characters as needed. */
function idCode(n: number): string {
  let s = '';
  do {
    s += String.fromCharCode(33 + (n % 94));
    n = Math.floor(n / 94);
  } while (n > 0);
  return s;
}

/** A payload as a VCD binary vector: bit 0 of byte 0 is the least significant bit. */
function bits(data: Uint8Array): string {
  let s = '';
  for (let i = data.length - 1; i >= 0; i--) s += data[i]!.toString(2).padStart(8, '0');
  return s;
}

const u32 = (n: number) => (n >>> 0).toString(2).padStart(32, '0');

/** Ticks per cycle: a power of ten above the most writes a stream of a run has in one cycle, at least 10. */
export function ticksPerCycle(runs: VcdRun[]): number {
  let most = 1;
  for (const r of runs) {
    const per = new Map<string, number>();
    for (const e of r.events) {
      const k = `${e.stream}:${e.cycle}`;
      const n = (per.get(k) ?? 0) + 1;
      per.set(k, n);
      if (n > most) most = n;
    }
  }
  let s = 10;
  while (s <= most) s *= 10;
  return s;
}

/** The timescale that makes one cycle 1 ns at S ticks per cycle (VCD allows 1, 10 or 100 of a unit). */
function timescale(s: number): string {
  const units = ['ns', 'ps', 'fs'];
  const exp = Math.round(Math.log10(s));
  if (exp > 6) throw new Error(`more than 10^6 writes of one stream in one cycle cannot be placed on a VCD time axis`);
  const u = Math.ceil(exp / 3);
  return `${10 ** (3 * u - exp)} ${units[u]}`;
}

export function renderVcd(runs: VcdRun[], version: string): { text: string; ticksPerCycle: number } {
  const s = ticksPerCycle(runs);
  const signals: Signal[] = [];
  const add = (scope: string, name: string, width: number) => {
    const sig: Signal = { id: idCode(signals.length), scope, name, width, changes: new Map() };
    signals.push(sig);
    return sig;
  };
  const scopes: string[] = [];
  for (const r of runs) {
    const top = `run${r.id}_${r.target.replace(/[^\w]/g, '_')}`;
    scopes.push(top);
    const mod = Object.fromEntries(MODULES.map((m) => [m, { pc: add(`${top}.${m}`, 'pc', 32), retire: add(`${top}.${m}`, 'retire', 1) }]));
    const bufs = new Map<Stream, { we: Signal; idx: Signal; data: Signal }>();
    const used = new Map<string, number>();
    // Events in time order; writes of one stream in one cycle on successive ticks.
    const sorted = [...r.events].sort((a, b) => a.cycle - b.cycle);
    const pulse = (sig: Signal, t: number) => {
      sig.changes.set(t, '1');
      if (sig.changes.get(t + 1) !== '1') sig.changes.set(t + 1, '0');
    };
    for (const e of sorted) {
      const slot = `${e.stream}:${e.cycle}`;
      const k = used.get(slot) ?? 0;
      used.set(slot, k + 1);
      const t = e.cycle * s + k;
      const m = RETIRE_MODULE[e.stream];
      if (m) {
        mod[m]!.pc.changes.set(t, u32(e.pc));
        pulse(mod[m]!.retire, t);
        continue;
      }
      if (e.stream.endsWith('.iter')) continue;
      let b = bufs.get(e.stream);
      if (!b) {
        const name = e.stream === 'dram.store' ? 'dram' : e.stream.slice(5);
        b = { we: add(`${top}.${name}`, 'we', 1), idx: add(`${top}.${name}`, e.stream === 'dram.store' ? 'addr' : 'widx', 32), data: add(`${top}.${name}`, e.stream === 'dram.store' ? 'data' : 'wdata', e.data.length * 8) };
        bufs.set(e.stream, b);
      }
      pulse(b.we, t);
      b.idx.changes.set(t, u32(e.addr));
      b.data.changes.set(t, bits(e.data));
    }
  }
  const out: string[] = [`$comment ${version}: one cycle is ${s} ticks (1 ns); cycle c starts at time c*${s} $end`, `$timescale ${timescale(s)} $end`];
  // Scopes nest run → module/buffer.
  for (const top of scopes) {
    out.push(`$scope module ${top} $end`);
    const inner = [...new Set(signals.filter((g) => g.scope.startsWith(`${top}.`)).map((g) => g.scope))];
    for (const sc of inner) {
      out.push(`$scope module ${sc.slice(top.length + 1)} $end`);
      for (const g of signals.filter((x) => x.scope === sc)) out.push(`$var wire ${g.width} ${g.id} ${g.name} $end`);
      out.push('$upscope $end');
    }
    out.push('$upscope $end');
  }
  out.push('$enddefinitions $end');
  const byTime = new Map<number, string[]>();
  const val = (g: Signal, v: string) => (g.width === 1 ? `${v}${g.id}` : `b${v.replace(/^0+(?=.)/, '')} ${g.id}`);
  out.push('#0', '$dumpvars');
  for (const g of signals) {
    const v0 = g.changes.get(0);
    out.push(val(g, v0 ?? (g.width === 1 ? '0' : 'x')));
  }
  out.push('$end');
  for (const g of signals) {
    for (const [t, v] of g.changes) {
      if (t === 0) continue;
      let list = byTime.get(t);
      if (!list) byTime.set(t, (list = []));
      list.push(val(g, v));
    }
  }
  for (const t of [...byTime.keys()].sort((a, b) => a - b)) out.push(`#${t}`, ...byTime.get(t)!);
  return { text: out.join('\n') + '\n', ticksPerCycle: s };
}
