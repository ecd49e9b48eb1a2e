/**
 * Bundle files: round trips keep every field, the bytes follow docs/bundle-format.md (read here
 * by hand, as another language would), and every kind of broken file gets its own BundleError.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/fixtures.js';
import { buildWorkload } from '../workloads/index.js';
import { insnBytes, type ProgramBundle } from './bundle.js';
import { BundleError, bundleHash, decodeBundle, encodeBundle, loadBundle, saveBundle } from './bundle-file.js';
import { forgeHeader, readHeader } from '../../fuzz/forge-bundle.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-bundle-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const vec = () => buildWorkload('vec:matmul_blocked_4x4');
const random = () => buildWorkload('random', { config: resolveConfig('rect-8x16'), seed: 7 });

// ---- the layout, read independently of the decoder (docs/bundle-format.md) ----

const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getUint32(at, true);
const sha = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

// readHeader and forgeHeader (fuzz/forge-bundle.ts) read the header from the layout in docs/bundle-format.md, not through the decoder.

function errorOf(bytes: Uint8Array, name = 'x.vtab'): BundleError {
  try {
    decodeBundle(bytes, name);
  } catch (e) {
    expect(e).toBeInstanceOf(BundleError);
    return e as BundleError;
  }
  throw new Error('decodeBundle accepted a broken file');
}

describe('round trip', () => {
  it.each([
    ['vec: workload on the default config', vec],
    ['random workload on rect-8x16', random],
  ])('keeps every field: %s', (_, make) => {
    const b = make();
    const back = decodeBundle(encodeBundle(b), 'mem');
    expect(back).toStrictEqual(b);
    expect(back.params.bitstream).toBe(b.params.bitstream);
    expect(bundleHash(back)).toBe(bundleHash(b));
  });

  it('through a file, and the random bundle really is on the non-default config', () => {
    const b = random();
    const path = join(dir, 'random.vtab');
    saveBundle(path, b);
    const back = loadBundle(path);
    expect(back).toStrictEqual(b);
    // rect-8x16: BLOCK_IN 8, BLOCK_OUT 16 (README), so this is not the default 16x16 shape.
    expect([back.params.blockIn, back.params.blockOut]).toEqual([8, 16]);
    expect(back.workload).toEqual({ name: 'random', seed: 7 });
  });

  it('follows the documented layout: magic, version 1, recorded length, header, aligned sections, sha256', () => {
    const b = vec();
    const file = encodeBundle(b);
    expect(Buffer.from(file.subarray(0, 8)).toString('latin1')).toBe('VTABNDL\0');
    expect(u32(file, 8)).toBe(1);
    expect(Number(new DataView(file.buffer).getBigUint64(16, true))).toBe(file.length);
    expect(file.subarray(file.length - 32)).toEqual(sha(file.subarray(0, file.length - 32)));
    const { header, dataStart } = readHeader(file);
    expect(dataStart % 8).toBe(0);
    expect(header.insnCount).toBe(46); // README: vec:matmul_blocked_4x4 has 46 instructions
    expect(header.config.LOG_BLOCK).toBe(4); // default config: 1x16x16
    const insn = header.buffers.find((x) => x.role === 'insn')!;
    expect(insn.offset % 8).toBe(0);
    const section = file.subarray(dataStart + insn.offset, dataStart + insn.offset + insn.length);
    expect(section.subarray(header.insnAddr - b.buffers.find((x) => x.role === 'insn')!.addr).subarray(0, 46 * 16)).toEqual(insnBytes(b));
  });

  it('bundleHash changes when one byte of a buffer changes', () => {
    const b = vec();
    const other: ProgramBundle = { ...b, buffers: b.buffers.map((x) => ({ ...x, bytes: x.bytes.slice() })) };
    const data = other.buffers.find((x) => x.role !== 'insn' && x.bytes.length > 0)!;
    data.bytes[0] ^= 1;
    expect(bundleHash(other)).not.toBe(bundleHash(b));
  });
});

describe('broken files are refused with the file and the problem named', () => {
  const good = encodeBundle(vec());

  it('truncated', () => {
    expect(errorOf(good.subarray(0, good.length - 5), 'cut.vtab').message).toBe(`bundle file cut.vtab: truncated: ${good.length - 5} of ${good.length} bytes`);
    expect(errorOf(good.subarray(0, 10)).message).toMatch(/truncated: 10 bytes/);
  });

  it('wrong magic', () => {
    const f = good.slice();
    f[0] = 0x7b; // '{' — e.g. a JSON file given by mistake
    expect(errorOf(f).message).toMatch(/^bundle file x\.vtab: not a vta-trace bundle \(wrong magic bytes\)$/);
  });

  it('newer format version', () => {
    const f = good.slice();
    new DataView(f.buffer).setUint32(8, 2, true);
    expect(errorOf(f).message).toMatch(/format version 2 was written by a newer vta-trace; this one reads up to version 1/);
  });

  it('checksum mismatch (one flipped byte in a section)', () => {
    const f = good.slice();
    f[f.length - 40] ^= 0xff;
    expect(errorOf(f).message).toMatch(/checksum mismatch: the file is corrupt/);
  });

  it('header JSON invalid (even with a correct checksum)', () => {
    expect(errorOf(forgeHeader(good, () => undefined, '{"config": ')).message).toMatch(/header is not valid JSON/);
  });

  it('header structure invalid: names the key', () => {
    expect(errorOf(forgeHeader(good, (h) => ({ ...h, insnCount: -1 }))).message).toMatch(/header invalid: insnCount must be a non-negative integer, got -1/);
    expect(errorOf(forgeHeader(good, (h) => ({ ...h, sourceMap: h.sourceMap.slice(1) }))).message).toMatch(/sourceMap: 45 entries for 46 instructions/);
    expect(errorOf(forgeHeader(good, (h) => ({ ...h, buffers: h.buffers.map((x) => ({ ...x, role: 'inp' })) }))).message).toMatch(/0 buffers have role insn/);
    expect(errorOf(forgeHeader(good, (h) => ({ ...h, buffers: h.buffers.map((x) => ({ ...x, length: x.length + 1e6 })) }))).message).toMatch(/section .* lies beyond/);
  });

  it('stored configuration invalid or not matching its hash', () => {
    expect(errorOf(forgeHeader(good, (h) => ({ ...h, config: { ...h.config, LOG_BATCH: 9 } }))).message).toMatch(/stored configuration is invalid: config key LOG_BATCH/);
    expect(errorOf(forgeHeader(good, (h) => ({ ...h, config: { ...h.config, TARGET: 'other' } }))).message).toMatch(/configHash .* does not match/);
  });

  it('a missing file', () => {
    expect(() => loadBundle(join(dir, 'absent.vtab'))).toThrow(/bundle file .*absent\.vtab: cannot read/);
  });

  it('bytes after the recorded end', () => {
    const f = new Uint8Array(good.length + 3);
    f.set(good);
    writeFileSync(join(dir, 'long.vtab'), f);
    expect(() => loadBundle(join(dir, 'long.vtab'))).toThrow(/3 unexpected bytes after the recorded end/);
  });
});
