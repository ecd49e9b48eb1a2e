/**
 * Frames of the agent protocol (docs/fpga-protocol.md): `u32 length` (little-endian, counting
 * the type byte and the payload), `u8 type`, payload. A reader enforces the size limit before
 * buffering anything, so a garbage length can never make either side allocate gigabytes.
 */
import { AgentProtocolError } from '../errors.js';

export interface Frame {
  type: number;
  body: Buffer;
}

/** Default largest frame either side accepts (type byte + payload). */
export const DEFAULT_MAX_FRAME_BYTES = 256 * 1024 * 1024;

export function encodeFrame(type: number, ...parts: Uint8Array[]): Buffer {
  const len = 1 + parts.reduce((n, p) => n + p.length, 0);
  const head = Buffer.alloc(5);
  head.writeUInt32LE(len, 0);
  head.writeUInt8(type, 4);
  return Buffer.concat([head, ...parts]);
}

/**
 * Largest frame a connection may send before it has said HELLO and been let in (a HELLO with its
 * token is a few hundred bytes): an unauthenticated client cannot make the agent hold more.
 */
export const PRE_AUTH_MAX_FRAME_BYTES = 4096;

/**
 * Reassembles frames from a byte stream in time linear in their size, and in steps no larger than
 * a chunk: a frame that arrives whole in one chunk is a view of it; one that spans chunks is
 * copied into its own buffer as its chunks arrive, each byte once (joining all received chunks
 * at every chunk made a 64 MiB frame cost 94 s of CPU, and joining them once at the end stalls
 * the agent for the whole copy). On a length it must refuse it stops: the frames before it are
 * still returned, `refused` says why, and nothing after it is read (the stream cannot be
 * resynchronised).
 */
export class FrameReader {
  /** Received bytes not yet moved into `partial` or returned. */
  private chunks: Buffer[] = [];
  private chunkBytes = 0;
  /** Length field of the frame being received, once its first 4 bytes are in. */
  private want: number | undefined;
  /** The frame being received (header included) when it spans chunks, and how much of it is in. */
  private partial: Buffer | undefined;
  private filled = 0;
  refused: AgentProtocolError | undefined;

  /** `maxFrameBytes` may be raised later (the agent does once a client is let in). */
  constructor(public maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {}

  /** Bytes received that do not yet make a whole frame (non-zero at end of stream: truncated). */
  get pending(): number {
    return this.chunkBytes + this.filled;
  }

  /**
   * Take a chunk; return the frames it completes, at most `maxFrames` of them (the rest stay
   * buffered, unparsed, for `drain`: the agent reads a connection's first frame alone, so that
   * what follows HELLO is measured against the limit HELLO lets in).
   */
  push(chunk: Buffer, maxFrames = Infinity): Frame[] {
    if (this.refused) return [];
    if (chunk.length) {
      this.chunks.push(chunk);
      this.chunkBytes += chunk.length;
    }
    return this.drain(maxFrames);
  }

  /** The whole frames already buffered, at most `maxFrames`. */
  drain(maxFrames = Infinity): Frame[] {
    const out: Frame[] = [];
    while (!this.refused && out.length < maxFrames) {
      if (this.want === undefined) {
        if (this.chunkBytes < 4) break;
        const len = this.peekLength();
        if (len === 0) this.refused = new AgentProtocolError('malformed', 'malformed frame: length 0 (a frame has at least its type byte)');
        else if (len > this.maxFrameBytes) this.refused = new AgentProtocolError('frame-too-large', `frame of ${len} bytes exceeds the limit of ${this.maxFrameBytes} bytes`);
        if (this.refused) break;
        this.want = len;
      }
      const total = 4 + this.want;
      const first = this.chunks[0];
      let frame: Buffer;
      if (!this.partial && first && first.length >= total) {
        // The whole frame lies in one chunk: hand out a view.
        frame = first.subarray(0, total);
        this.take(total);
      } else {
        // Spread over chunks: move what has arrived into the frame's own buffer (pages of it are
        // touched only as bytes arrive, so an announced length costs nothing until it is sent).
        this.partial ??= Buffer.allocUnsafeSlow(total);
        while (this.filled < total && this.chunks.length) {
          const c = this.chunks[0]!;
          const n = Math.min(c.length, total - this.filled);
          c.copy(this.partial, this.filled, 0, n);
          this.filled += n;
          this.take(n);
        }
        if (this.filled < total) break;
        frame = this.partial;
        this.partial = undefined;
        this.filled = 0;
      }
      out.push({ type: frame[4]!, body: frame.subarray(5, total) });
      this.want = undefined;
    }
    return out;
  }

  /** The u32 length at the front of the received bytes (at least 4 are there). */
  private peekLength(): number {
    const first = this.chunks[0]!;
    if (first.length >= 4) return first.readUInt32LE(0);
    const head = Buffer.alloc(4);
    let got = 0;
    for (const c of this.chunks) {
      const n = Math.min(c.length, 4 - got);
      c.copy(head, got, 0, n);
      got += n;
      if (got === 4) break;
    }
    return head.readUInt32LE(0);
  }

  /** Drop `n` bytes from the front of the first chunk. */
  private take(n: number): void {
    const c = this.chunks[0]!;
    if (n >= c.length) this.chunks.shift();
    else this.chunks[0] = c.subarray(n);
    this.chunkBytes -= n;
  }
}
