/**
 * The on-disk program bundle (docs/bundle-format.md): a fixed prefix, a JSON header, 8-byte
 * aligned binary sections (DRAM buffers, then expected outputs) and a trailing sha256 of
 * everything before it. The header keeps the configuration JSON as given, so loading re-derives
 * (and re-validates) the parameters instead of trusting stored derived values.
 *
 * Reading checks, in order: size of the prefix, magic, version, recorded file length (truncation),
 * checksum (corruption), then the header's JSON and its structure — so each broken file gets the
 * one message that says what is actually wrong with it.
 */
import { createHash } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { deriveParams } from '../config/config.js';
import { ConfigError } from '../errors.js';
import { InputFileProblem, readInputFile } from '../files/read-input-file.js';
import { BundleError } from './bundle-error.js';
import { checkBundle } from './check-bundle.js';
import { BUFFER_ROLES, type BufferRole, type DramBuffer, type OutputRange, type ProgramBundle, type SourceMapEntry } from './bundle.js';

/** "VTABNDL" and a NUL: never valid UTF-8 text at the start of a JSON or SQLite file. */
export const BUNDLE_MAGIC = new Uint8Array([0x56, 0x54, 0x41, 0x42, 0x4e, 0x44, 0x4c, 0x00]);
/** Bumped whenever the binary layout or the meaning of an existing header key changes. */
export const BUNDLE_FORMAT_VERSION = 1;
/** magic (8) + version u32 + header length u32 + file length u64. */
const PREFIX_BYTES = 24;
const CHECKSUM_BYTES = 32;
/** Sections start on 8-byte boundaries so a reader can view them as u32/u64 arrays in place. */
const ALIGN = 8;

export { BundleError };

/** Where one binary section lies, relative to the start of the data area. */
interface SectionRef {
  offset: number;
  length: number;
}

/** The JSON header, exactly as written (docs/bundle-format.md, "Header"). */
interface BundleHeader {
  config: Record<string, unknown>;
  configHash: string;
  insnAddr: number;
  insnCount: number;
  buffers: ({ name: string; role: BufferRole; addr: number } & SectionRef)[];
  outputs: OutputRange[];
  sourceMap: (SourceMapEntry | null)[];
  workload?: ProgramBundle['workload'];
  expected: ({ name: string } & SectionRef)[];
}

const alignUp = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

/**
 * Identity of a bundle's content: sha256 over the config hash, instruction address and count,
 * every buffer (name, role, address, bytes) and the output ranges — the inputs that decide what a
 * target computes. Source map, workload and expected outputs are descriptive and left out, so a
 * saved-and-loaded bundle and a regenerated one hash alike. Trace databases key runs by this.
 */
export function bundleHash(b: ProgramBundle): string {
  const h = createHash('sha256');
  h.update(`vta-bundle\0${b.params.hash}\0${b.insnAddr}\0${b.insnCount}\0`);
  for (const buf of [...b.buffers].sort((x, y) => x.addr - y.addr)) {
    h.update(`${buf.name}\0${buf.role}\0${buf.addr}\0${buf.bytes.length}\0`);
    h.update(buf.bytes);
  }
  for (const o of b.outputs) h.update(`out\0${o.name}\0${o.addr}\0${o.size}\0`);
  return h.digest('hex').slice(0, 32);
}

export function encodeBundle(b: ProgramBundle): Uint8Array {
  const blobs: Uint8Array[] = [];
  let dataLength = 0;
  const place = (bytes: Uint8Array): SectionRef => {
    const ref = { offset: dataLength, length: bytes.length };
    blobs.push(bytes);
    dataLength = alignUp(dataLength + bytes.length);
    return ref;
  };
  const header: BundleHeader = {
    config: { ...b.params.json },
    configHash: b.params.hash,
    insnAddr: b.insnAddr,
    insnCount: b.insnCount,
    buffers: b.buffers.map((x) => ({ name: x.name, role: x.role, addr: x.addr, ...place(x.bytes) })),
    outputs: b.outputs.map((o) => ({ name: o.name, addr: o.addr, size: o.size })),
    sourceMap: b.sourceMap,
    ...(b.workload ? { workload: b.workload } : {}),
    expected: Object.entries(b.expected ?? {}).map(([name, bytes]) => ({ name, ...place(bytes) })),
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = alignUp(PREFIX_BYTES + headerBytes.length);
  const total = dataStart + dataLength + CHECKSUM_BYTES;

  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(BUNDLE_MAGIC, 0);
  view.setUint32(8, BUNDLE_FORMAT_VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  view.setBigUint64(16, BigInt(total), true);
  out.set(headerBytes, PREFIX_BYTES);
  const refs = [...header.buffers, ...header.expected];
  blobs.forEach((bytes, i) => out.set(bytes, dataStart + refs[i]!.offset));
  out.set(sha256(out.subarray(0, total - CHECKSUM_BYTES)), total - CHECKSUM_BYTES);
  return out;
}

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

/** Decode a bundle file's bytes; `name` (usually the path) is used in error messages. */
export function decodeBundle(bytes: Uint8Array, name: string): ProgramBundle {
  const fail = (problem: string): never => {
    throw new BundleError(name, problem);
  };
  if (bytes.length < PREFIX_BYTES) fail(`truncated: ${bytes.length} bytes, shorter than the ${PREFIX_BYTES}-byte prefix`);
  if (!BUNDLE_MAGIC.every((v, i) => bytes[i] === v)) fail('not a vta-trace bundle (wrong magic bytes)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version > BUNDLE_FORMAT_VERSION) {
    fail(`format version ${version} was written by a newer vta-trace; this one reads up to version ${BUNDLE_FORMAT_VERSION}`);
  }
  if (version < 1) fail(`format version ${version} does not exist`);
  const headerLength = view.getUint32(12, true);
  const total = Number(view.getBigUint64(16, true));
  if (bytes.length < total) fail(`truncated: ${bytes.length} of ${total} bytes`);
  if (bytes.length > total) fail(`${bytes.length - total} unexpected bytes after the recorded end (${total} bytes)`);
  const dataStart = alignUp(PREFIX_BYTES + headerLength);
  if (dataStart + CHECKSUM_BYTES > total) fail(`header length ${headerLength} does not fit in the ${total}-byte file`);
  const stored = bytes.subarray(total - CHECKSUM_BYTES);
  if (!sha256(bytes.subarray(0, total - CHECKSUM_BYTES)).every((v, i) => stored[i] === v)) {
    fail('checksum mismatch: the file is corrupt');
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength)));
  } catch (e) {
    return fail(`header is not valid JSON: ${(e as Error).message}`);
  }
  const header = checkHeader(parsed, (problem) => fail(`header invalid: ${problem}`));
  const dataLength = total - CHECKSUM_BYTES - dataStart;
  const section = (what: string, ref: SectionRef): Uint8Array => {
    if (ref.offset + ref.length > dataLength) fail(`header invalid: ${what} section [${ref.offset}, +${ref.length}) lies beyond the ${dataLength}-byte data area`);
    // A copy, so the bundle owns plain Uint8Arrays independent of the file buffer.
    return new Uint8Array(bytes.subarray(dataStart + ref.offset, dataStart + ref.offset + ref.length));
  };

  let params;
  try {
    params = deriveParams(header.config);
  } catch (e) {
    if (e instanceof ConfigError) return fail(`stored configuration is invalid: ${e.message}`);
    throw e;
  }
  if (params.hash !== header.configHash) fail(`header configHash ${header.configHash} does not match its configuration (${params.hash})`);

  const buffers: DramBuffer[] = header.buffers.map((x) => ({ name: x.name, role: x.role, addr: x.addr, bytes: section(`buffer "${x.name}"`, x) }));

  const bundle: ProgramBundle = {
    params,
    insnAddr: header.insnAddr,
    insnCount: header.insnCount,
    buffers,
    outputs: header.outputs,
    sourceMap: header.sourceMap,
  };
  if (header.workload) bundle.workload = header.workload;
  if (header.expected.length) {
    const names = new Set<string>();
    for (const x of header.expected) {
      if (names.has(x.name)) fail(`expected ${JSON.stringify(x.name)}: a second expected output of this name`);
      names.add(x.name);
    }
    bundle.expected = Object.fromEntries(header.expected.map((x) => [x.name, section(`expected output "${x.name}"`, x)]));
  }
  // Ranges inside DRAM, buffers disjoint, outputs inside buffers, counts consistent.
  checkBundle(bundle, name);
  return bundle;
}

// ---- header structure checks: each names the key that is wrong ----

type Fail = (problem: string) => never;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function nat(v: unknown, key: string, fail: Fail): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(`${key} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return v as number;
}

function str(v: unknown, key: string, fail: Fail): string {
  if (typeof v !== 'string') fail(`${key} must be a string, got ${JSON.stringify(v)}`);
  return v as string;
}

function list(v: unknown, key: string, fail: Fail): unknown[] {
  if (!Array.isArray(v)) fail(`${key} must be an array`);
  return v as unknown[];
}

function obj(v: unknown, key: string, fail: Fail): Record<string, unknown> {
  if (!isObject(v)) fail(`${key} must be an object`);
  return v as Record<string, unknown>;
}

function sectionRef(o: Record<string, unknown>, key: string, fail: Fail): SectionRef {
  return { offset: nat(o.offset, `${key}.offset`, fail), length: nat(o.length, `${key}.length`, fail) };
}

function sourceEntry(v: unknown, key: string, fail: Fail): SourceMapEntry | null {
  if (v === null) return null;
  const o = obj(v, key, fail);
  const entry: SourceMapEntry = { op: str(o.op, `${key}.op`, fail) };
  if (o.loop !== undefined) {
    const loop = obj(o.loop, `${key}.loop`, fail);
    for (const [k, n] of Object.entries(loop)) if (typeof n !== 'number') fail(`${key}.loop.${k} must be a number`);
    entry.loop = loop as Record<string, number>;
  }
  if (o.note !== undefined) entry.note = str(o.note, `${key}.note`, fail);
  return entry;
}

function checkHeader(v: unknown, fail: Fail): BundleHeader {
  const h = obj(v, 'the header', fail);
  const header: BundleHeader = {
    config: obj(h.config, 'config', fail),
    configHash: str(h.configHash, 'configHash', fail),
    insnAddr: nat(h.insnAddr, 'insnAddr', fail),
    insnCount: nat(h.insnCount, 'insnCount', fail),
    buffers: list(h.buffers, 'buffers', fail).map((x, i) => {
      const o = obj(x, `buffers[${i}]`, fail);
      const role = str(o.role, `buffers[${i}].role`, fail);
      if (!BUFFER_ROLES.includes(role as BufferRole)) fail(`buffers[${i}].role "${role}" is not one of ${BUFFER_ROLES.join(', ')}`);
      return { name: str(o.name, `buffers[${i}].name`, fail), role: role as BufferRole, addr: nat(o.addr, `buffers[${i}].addr`, fail), ...sectionRef(o, `buffers[${i}]`, fail) };
    }),
    outputs: list(h.outputs, 'outputs', fail).map((x, i) => {
      const o = obj(x, `outputs[${i}]`, fail);
      return { name: str(o.name, `outputs[${i}].name`, fail), addr: nat(o.addr, `outputs[${i}].addr`, fail), size: nat(o.size, `outputs[${i}].size`, fail) };
    }),
    sourceMap: list(h.sourceMap, 'sourceMap', fail).map((x, i) => sourceEntry(x, `sourceMap[${i}]`, fail)),
    expected: list(h.expected, 'expected', fail).map((x, i) => {
      const o = obj(x, `expected[${i}]`, fail);
      return { name: str(o.name, `expected[${i}].name`, fail), ...sectionRef(o, `expected[${i}]`, fail) };
    }),
  };
  if (h.workload !== undefined) {
    const w = obj(h.workload, 'workload', fail);
    header.workload = { name: str(w.name, 'workload.name', fail) };
    if (w.seed !== undefined) header.workload.seed = nat(w.seed, 'workload.seed', fail);
    if (w.params !== undefined) header.workload.params = obj(w.params, 'workload.params', fail);
  }
  return header;
}

// ---- files ----

/** Write a bundle file; written beside the target and renamed, so a reader never sees half a file. */
export function saveBundle(path: string, b: ProgramBundle): void {
  // The checks loading runs: a bundle the project writes always loads again.
  try {
    checkBundle(b, path);
  } catch (e) {
    if (e instanceof BundleError) throw new BundleError(path, `not written, it would not load again: ${e.problem}`);
    throw e;
  }
  const bytes = encodeBundle(b);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new BundleError(path, `cannot write: ${(e as Error).message}`);
  }
}

/**
 * Largest bundle file read (1 GiB): a full-size ResNet-18 is about 16 MB, and the DRAM image of a
 * 32-bit VTA cannot exceed 4 GiB, of which no workload uses a quarter.
 */
export const MAX_BUNDLE_FILE_BYTES = 2 ** 30;

export function loadBundle(path: string): ProgramBundle {
  let bytes: Uint8Array;
  try {
    bytes = readInputFile(path, MAX_BUNDLE_FILE_BYTES);
  } catch (e) {
    if (e instanceof InputFileProblem) throw new BundleError(path, e.message);
    throw e;
  }
  return decodeBundle(bytes, path);
}
