/**
 * The instruction stream under construction, with dependency tokens inserted the way the upstream
 * runtime's instruction queue does it (vta-isa.md §4.5): `depPush(from, to)` sets the push flag
 * on the last instruction when it runs on `from` and does not carry that flag yet, else appends a
 * NOP on `from`; `depPop(from, to)` is held pending and attached to the next instruction created
 * on `to` (a second pending pop of the same kind first gets a NOP of its own).
 */
import type { SourceMapEntry } from '../bundle/bundle.js';
import { moduleOf, type DepFlags, type Insn, type Module } from '../isa/insn.js';
import { ProgramError } from './program-error.js';
import { dependencyNop } from './dependency-nop.js';

/** Pipeline order: a token from an earlier stage to a later one uses the `next` flags. */
const ORDER: Record<Module, number> = { load: 1, compute: 2, store: 3 };

export interface QueuedInsn {
  insn: Insn;
  source: SourceMapEntry | null;
  /** Set on LOAD UOP: the kernel's word offset in the uop DRAM image (dram_base is filled at finish). */
  uopDramWord?: number;
}

export class InsnQueue {
  readonly entries: QueuedInsn[] = [];
  private readonly pendingPrev: Record<Module, boolean> = { load: false, compute: false, store: false };
  private readonly pendingNext: Record<Module, boolean> = { load: false, compute: false, store: false };
  /** Source-map entry for instructions created from now on. */
  source: SourceMapEntry | null = null;

  get length(): number {
    return this.entries.length;
  }

  /**
   * Append an instruction; it takes the pending pops of its module. A `raw` instruction keeps the
   * flags it was given, so pending pops go on a NOP before it.
   */
  push(insn: Insn, extra: Partial<QueuedInsn> = {}, raw = false): number {
    const m = moduleOf(insn);
    if (raw) {
      this.commitPendingPops(m);
    } else {
      insn.pop_prev_dep = this.pendingPrev[m] ? 1 : 0;
      insn.pop_next_dep = this.pendingNext[m] ? 1 : 0;
      this.pendingPrev[m] = this.pendingNext[m] = false;
    }
    this.entries.push({ insn, source: this.source, ...extra });
    return this.entries.length - 1;
  }

  depPush(from: Module, to: Module): void {
    checkPair(from, to, this.entries.length, this.source);
    this.commitPendingPops(from);
    const flag: keyof DepFlags = ORDER[from] < ORDER[to] ? 'push_next_dep' : 'push_prev_dep';
    const last = this.entries[this.entries.length - 1]?.insn;
    if (last && moduleOf(last) === from && !last[flag]) {
      last[flag] = 1;
      return;
    }
    this.appendNop(from, { [flag]: 1 });
  }

  depPop(from: Module, to: Module): void {
    checkPair(from, to, this.entries.length, this.source);
    const pending = ORDER[from] < ORDER[to] ? this.pendingPrev : this.pendingNext;
    if (pending[to]) {
      this.appendNop(to, ORDER[from] < ORDER[to] ? { pop_prev_dep: 1 } : { pop_next_dep: 1 });
    }
    pending[to] = true;
  }

  /** Put any pops pending on `module` on a NOP of their own. */
  commitPendingPops(module: Module): void {
    if (!this.pendingPrev[module] && !this.pendingNext[module]) return;
    this.appendNop(module, { pop_prev_dep: this.pendingPrev[module] ? 1 : 0, pop_next_dep: this.pendingNext[module] ? 1 : 0 });
    this.pendingPrev[module] = this.pendingNext[module] = false;
  }

  hasPendingPops(): boolean {
    return Object.values(this.pendingPrev).some(Boolean) || Object.values(this.pendingNext).some(Boolean);
  }

  /** Appends the upstream NOP of a module carrying these tokens (dependency-nop.ts). */
  private appendNop(module: Module, flags: Partial<DepFlags>): void {
    const nop = dependencyNop(module, flags);
    const source = this.source ? { ...this.source, note: 'dependency NOP' } : { op: 'sync', note: 'dependency NOP' };
    this.entries.push({ insn: nop, source });
  }
}

function checkPair(from: Module, to: Module, index: number, source: SourceMapEntry | null): void {
  if (from === to || ORDER[from] + ORDER[to] === 4) {
    throw new ProgramError(`there is no token queue from ${from} to ${to} (queues: load↔compute, compute↔store)`, index, source);
  }
}
