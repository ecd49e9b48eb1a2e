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
 * Reassembles frames from a byte stream. On a length it must refuse it stops: the frames before
 * it are still returned, `refused` says why, and nothing after it is read (the stream cannot be
 * resynchronised).
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private size = 0;
  refused: AgentProtocolError | undefined;

  constructor(readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {}

  /** Bytes received that do not yet make a whole frame (non-zero at end of stream: truncated). */
  get pending(): number {
    return this.size;
  }

  push(chunk: Buffer): Frame[] {
    if (this.refused) return [];
    this.chunks.push(chunk);
    this.size += chunk.length;
    const out: Frame[] = [];
    let buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    let pos = 0;
    while (buf.length - pos >= 4) {
      const len = buf.readUInt32LE(pos);
      if (len === 0) this.refused = new AgentProtocolError('malformed', 'malformed frame: length 0 (a frame has at least its type byte)');
      else if (len > this.maxFrameBytes) this.refused = new AgentProtocolError('frame-too-large', `frame of ${len} bytes exceeds the limit of ${this.maxFrameBytes} bytes`);
      if (this.refused) break;
      if (buf.length - pos - 4 < len) break;
      out.push({ type: buf[pos + 4]!, body: buf.subarray(pos + 5, pos + 4 + len) });
      pos += 4 + len;
    }
    buf = buf.subarray(pos);
    this.chunks = buf.length ? [buf] : [];
    this.size = buf.length;
    return out;
  }
}
