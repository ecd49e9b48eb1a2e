/**
 * Bundle files with another header and a correct checksum: what a careless tool or a hand edit
 * produces, and what the checksum cannot catch. Read independently of bundle-file.ts, from the
 * layout in docs/bundle-format.md.
 */
import { createHash } from 'node:crypto';

export interface RawHeader {
  insnAddr: number;
  insnCount: number;
  buffers: { name: string; role: string; addr: number; offset: number; length: number }[];
  outputs: { name: string; addr: number; size: number }[];
  expected: { name: string; offset: number; length: number }[];
  sourceMap: unknown[];
  config: Record<string, unknown>;
  [k: string]: unknown;
}

const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getUint32(at, true);

export function readHeader(file: Uint8Array): { header: RawHeader; dataStart: number } {
  const len = u32(file, 12);
  const header = JSON.parse(Buffer.from(file.subarray(24, 24 + len)).toString('utf8')) as RawHeader;
  return { header, dataStart: Math.ceil((24 + len) / 8) * 8 };
}

/** The same data area under the header `edit` returns (or `rawText`), checksum recomputed. */
export function forgeHeader(file: Uint8Array, edit: (h: RawHeader) => unknown, rawText?: string): Uint8Array {
  const { header, dataStart } = readHeader(file);
  const data = file.subarray(dataStart, file.length - 32);
  const text = new TextEncoder().encode(rawText ?? JSON.stringify(edit(header) ?? header));
  const start = Math.ceil((24 + text.length) / 8) * 8;
  const out = new Uint8Array(start + data.length + 32);
  out.set(file.subarray(0, 12));
  const view = new DataView(out.buffer);
  view.setUint32(12, text.length, true);
  view.setBigUint64(16, BigInt(out.length), true);
  out.set(text, 24);
  out.set(data, start);
  out.set(createHash('sha256').update(out.subarray(0, out.length - 32)).digest(), out.length - 32);
  return out;
}
