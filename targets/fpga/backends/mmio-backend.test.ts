/**
 * The board backends' address arithmetic, with ordinary files standing in for /dev/mem and the
 * u-dma-buf device (they were never run on a board): registers land at the board's physical
 * register base + offset, little-endian; bundle bytes land at their offset inside the DMA
 * buffer, whose device address includes de10nano's 0x80000000 bridge offset.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/config/fixtures.js';
import { boardProfile } from '../board-profiles.js';
import { BoardMemoryError } from '../errors.js';
import { MmioBackend } from './mmio-backend.js';

const root = mkdtempSync(join(tmpdir(), 'vta-mmio-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The 32-bit little-endian word at byte `pos` of a (sparse) file. */
function wordAt(path: string, pos: number): number {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(4);
    readSync(fd, b, 0, 4, pos);
    return b.readUInt32LE(0);
  } finally {
    closeSync(fd);
  }
}

function fakeDevices(physAddr: number, size: number) {
  const dir = mkdtempSync(join(root, 'dev-'));
  mkdirSync(join(dir, 'sys', 'udmabuf0'), { recursive: true });
  writeFileSync(join(dir, 'sys', 'udmabuf0', 'phys_addr'), `0x${physAddr.toString(16)}\n`);
  writeFileSync(join(dir, 'sys', 'udmabuf0', 'size'), `${size}\n`);
  writeFileSync(join(dir, 'udmabuf0'), Buffer.alloc(size));
  writeFileSync(join(dir, 'mem'), '');
  return { memDevice: join(dir, 'mem'), devRoot: dir, sysfsRoot: join(dir, 'sys'), dir };
}

describe('mmio backend (files in place of /dev/mem and u-dma-buf)', () => {
  it('de10nano: registers at 0xFF220000 + offset; DMA at CMA address + 0x80000000', async () => {
    const d = fakeDevices(0x3000_0000, 1 << 20);
    const b = new MmioBackend(boardProfile('de10nano'), d);
    try {
      await b.writeReg(0x08, 46);
      await b.writeReg(0x0c, 0xb000_1000);
      expect(wordAt(d.memDevice, 0xff22_0008)).toBe(46);
      expect(wordAt(d.memDevice, 0xff22_000c)).toBe(0xb000_1000);
      expect(await b.readReg(0x0c)).toBe(0xb000_1000);

      const region = await b.begin(0x4000, 0x4000, { events: false, iters: false, dramGranule: 16 });
      expect(region.deviceAddr).toBe(0xb000_0000);
      await b.writeMem(region.deviceAddr + 0x1000, Uint8Array.of(1, 2, 3));
      expect([...readFileSync(join(d.dir, 'udmabuf0')).subarray(0x1000, 0x1003)]).toEqual([1, 2, 3]);
      expect([...(await b.readMem(0xb000_1001, 2))]).toEqual([2, 3]);
      await expect(b.begin(1 << 21, 1 << 21, { events: false, iters: false, dramGranule: 16 })).rejects.toThrow(BoardMemoryError);
      await expect(b.writeReg(0x100, 1)).rejects.toThrow(/outside the de10nano register window/);
    } finally {
      await b.close();
    }
  });

  it('pynq: the four HLS blocks at 0x43C00000 + block + offset; a region aligned inside the buffer', async () => {
    const d = fakeDevices(0x1f00_3000, 1 << 20);
    const b = new MmioBackend(boardProfile('pynq'), { ...d, config: resolveConfig('default') });
    try {
      await b.writeReg(0x2020, 0xabcd);
      expect(wordAt(d.memDevice, 0x43c0_2020)).toBe(0xabcd);
      // The buffer starts at 0x1F003000; a 64 KiB-aligned region starts at 0x1F010000.
      expect((await b.begin(0x10000, 0x10000, { events: false, iters: false, dramGranule: 16 })).deviceAddr).toBe(0x1f01_0000);
      await expect(b.prepare(resolveConfig('small'))).rejects.toThrow(/board pynq runs configuration .*; the bundle was built for /);
    } finally {
      await b.close();
    }
  });
});
