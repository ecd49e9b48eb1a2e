/**
 * The token protocol of TVM's VTA schedules with virtual threads (double buffering when there are
 * two): INP/WGT and ACC are each split into `count` slots. Load fills one input slot while
 * compute works on another, and store drains one ACC slot while compute fills another.
 *
 * Tokens carry no identity, so a slot may only be reused once the token its last user sent back
 * is the one being popped: with `count` credits in flight, the i-th load may overwrite what the
 * (i − count)-th compute read. That holds exactly when slots are handed out round-robin in each
 * module's own order, which is what this class does — the caller asks for the slot instead of
 * choosing it (a schedule with an odd last tile would otherwise reuse a slot early).
 *
 *   begin()              compute lends load every input slot; store lends compute every ACC slot
 *   load(fn)             wait for the next input slot to be free, fn(slot) fills it, hand it to compute
 *   compute(fn)          wait for the next filled input slot, fn(slot) uses it, give it back to load
 *   acquireAcc()         wait until store has drained the next ACC slot; returns it
 *   store(fn)            hand the oldest finished ACC slot to store, fn(slot) stores it, give it back
 *   end()                take back every lent slot, so no token is left over
 */
import type { ProgramBuilder } from './program-builder.js';

export class VirtualThreads {
  private loads = 0;
  private computes = 0;
  private accAcquired = 0;
  private stores = 0;

  constructor(
    private readonly b: ProgramBuilder,
    readonly count: number,
  ) {
    if (!Number.isInteger(count) || count < 1) throw new Error(`virtual threads: count ${count}`);
  }

  begin(): void {
    for (let v = 0; v < this.count; v++) this.b.depPush('compute', 'load');
    for (let v = 0; v < this.count; v++) this.b.depPush('store', 'compute');
  }

  load(fn: (slot: number) => void): void {
    this.b.depPop('compute', 'load');
    fn(this.loads++ % this.count);
    this.b.depPush('load', 'compute');
  }

  compute(fn: (slot: number) => void): void {
    this.b.depPop('load', 'compute');
    fn(this.computes++ % this.count);
    this.b.depPush('compute', 'load');
  }

  acquireAcc(): number {
    this.b.depPop('store', 'compute');
    return this.accAcquired++ % this.count;
  }

  store(fn: (slot: number) => void): void {
    this.b.depPush('compute', 'store');
    this.b.depPop('compute', 'store');
    fn(this.stores++ % this.count);
    this.b.depPush('store', 'compute');
  }

  end(): void {
    if (this.loads !== this.computes) throw new Error(`virtual threads: ${this.loads} load phases but ${this.computes} compute phases`);
    if (this.accAcquired !== this.stores) throw new Error(`virtual threads: ${this.accAcquired} ACC slots acquired but ${this.stores} stored`);
    for (let v = 0; v < this.count; v++) this.b.depPop('compute', 'load');
    for (let v = 0; v < this.count; v++) this.b.depPop('store', 'compute');
  }
}
