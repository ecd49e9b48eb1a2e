/**
 * Buffer writes at a constant address step gathered into runs for EventSink.writeRun. The simulator sends one
 * record per element written (the RTL writes one element per cycle); a sink takes a run of
 * elements in one call — the recorder hashes it with its WebAssembly kernel and keeps it as one
 * run — where one call per element cost about as much as the simulation of a ResNet layer.
 * Each element keeps its own cycle (writeRun's `cycles`).
 */
import { grown } from '../../runtime/typed-arrays.js';
import { STREAMS, writeRun, type EventSink, type WriteStream } from '../../runtime/contract/events.js';

export class WriteRuns {
  private stream = -1;
  private pc = 0;
  private elemLen = 0;
  private first = 0;
  /** Address step of the run (the RTL's GEMM writes ACC rows at a stride); set by its second element. */
  private step = 1;
  private count = 0;
  private bytes = new Uint8Array(64 * 1024);
  private cycles = new Float64Array(1024);

  constructor(private readonly sink: EventSink) {}

  /** Element `addr` of `stream` (bytes [at, at + len) of `src`), written by instruction `pc`: appended to the run (same stream, instruction, size and address step), or starting the next. */
  add(stream: number, pc: number, cycle: number, addr: number, src: Uint8Array, at: number, len: number): void {
    const n0 = this.count;
    const sameRun = n0 > 0 && stream === this.stream && pc === this.pc && len === this.elemLen;
    // The second element sets the step (any but 0); later ones must keep it.
    const continues = sameRun && (n0 === 1 ? addr !== this.first : addr === this.first + n0 * this.step);
    if (!continues) {
      this.flush();
      this.stream = stream;
      this.pc = pc;
      this.elemLen = len;
      this.first = addr;
      this.step = 1;
    } else if (n0 === 1) this.step = addr - this.first;
    const n = this.count;
    if ((n + 1) * len > this.bytes.length) this.bytes = grown(this.bytes, Math.max(2 * this.bytes.length, (n + 1) * len), n * len);
    if (n + 1 > this.cycles.length) this.cycles = grown(this.cycles, 2 * this.cycles.length, n);
    // Element by element: a view per element (subarray) or Buffer.copy cost several times the
    // bytes' copy for these 16–256-byte elements.
    const dst = this.bytes;
    for (let j = 0, o = n * len; j < len; j++) dst[o + j] = src[at + j]!;
    this.cycles[n] = cycle;
    this.count = n + 1;
  }

  /** Hand the run over (before any other event, and at the end of a batch: order is kept). */
  flush(): void {
    const n = this.count;
    if (n === 0) return;
    this.count = 0;
    const cycles = this.cycles.subarray(0, n);
    writeRun(this.sink, STREAMS[this.stream] as WriteStream, this.pc, cycles[0]!, this.first, this.step, n, this.elemLen, this.bytes.subarray(0, n * this.elemLen), cycles);
  }
}
