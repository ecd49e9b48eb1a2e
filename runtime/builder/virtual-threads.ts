/**
 * The token protocol of TVM's VTA schedules with virtual threads (double buffering when there are
 * two): each thread owns a part of INP/WGT and a part of ACC. Load fills a thread's part while
 * compute works on the other thread's, and store drains a thread's results while compute fills
 * the other's. Tokens carry no thread identity; the protocol works because every module meets the
 * threads in the same order.
 *
 *   begin()              compute lends load one free input part per thread; store lends compute
 *                        one free ACC part per thread
 *   load(fn)             wait for a free input part, fill it, hand it to compute
 *   compute(fn)          wait for a filled input part, use it, give it back to load
 *   acquireAcc()         wait until store has drained this thread's ACC part
 *   store(fn)            hand the finished ACC part to store, store it, give it back to compute
 *   end()                take back every lent part, so no token is left over
 */
import type { ProgramBuilder } from './program-builder.js';

export class VirtualThreads {
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

  load(fn: () => void): void {
    this.b.depPop('compute', 'load');
    fn();
    this.b.depPush('load', 'compute');
  }

  compute(fn: () => void): void {
    this.b.depPop('load', 'compute');
    fn();
    this.b.depPush('compute', 'load');
  }

  acquireAcc(): void {
    this.b.depPop('store', 'compute');
  }

  store(fn: () => void): void {
    this.b.depPush('compute', 'store');
    this.b.depPop('compute', 'store');
    fn();
    this.b.depPush('store', 'compute');
  }

  end(): void {
    for (let v = 0; v < this.count; v++) this.b.depPop('compute', 'load');
    for (let v = 0; v < this.count; v++) this.b.depPop('store', 'compute');
  }
}
