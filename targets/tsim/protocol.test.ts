/** Framing and record layouts of the tsim protocol, checked against hand-assembled bytes. */
import { describe, expect, it } from 'vitest';
import { FrameDecoder, memReadCmd, parseDone, runCmd, scanEvents, type EventScanner } from './protocol.js';

describe('tsim protocol', () => {
  it('reassembles frames split anywhere across chunks', () => {
    const f1 = Buffer.from([2, 0, 0, 0, 131, 7]); // MEM_DATA [7]
    const f2 = Buffer.from([1, 0, 0, 0, 132]); // FATAL, empty
    const all = Buffer.concat([f1, f2]);
    for (let cut = 0; cut <= all.length; cut++) {
      const d = new FrameDecoder();
      const frames = [...d.push(all.subarray(0, cut)), ...d.push(all.subarray(cut))];
      expect(frames.map((f) => [f.type, [...f.body]])).toEqual([
        [131, [7]],
        [132, []],
      ]);
    }
  });

  it('reassembles a large frame fed in chunks of any size, byte by byte included', () => {
    const big = Buffer.alloc(4 + 1 + 200_000);
    big.writeUInt32LE(1 + 200_000, 0);
    big[4] = 140;
    for (let i = 5; i < big.length; i++) big[i] = i % 251;
    const small = Buffer.from([2, 0, 0, 0, 131, 7]);
    const all = Buffer.concat([small, big, small]);
    for (const size of [1, 3, 4, 5, 4096, 65536, all.length]) {
      const d = new FrameDecoder();
      const frames = [];
      for (let at = 0; at < all.length; at += size) frames.push(...d.push(all.subarray(at, at + size)));
      expect(frames.map((f) => f.type), `chunks of ${size}`).toEqual([131, 140, 131]);
      expect(frames[1]!.body.equals(big.subarray(5)), `chunks of ${size}`).toBe(true);
      expect([...frames[2]!.body]).toEqual([7]);
    }
  });

  it('lays out commands as the README says', () => {
    expect([...memReadCmd(0x1234, 16)]).toEqual([13, 0, 0, 0, 4, 0x34, 0x12, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0]);
    const run = runCmd({
      count: 3, insnAddr: 0x1000, events: true, iters: true, dramGranule: 16, maxCycles: 100, idleCycles: 9, waveFrom: 1, waveTo: 2, wavePath: 'w',
      acceptCycles: 7, moduleCount: [4, 5, 6], idleState: [0, 0xffffffff, 2],
    });
    expect(run.readUInt32LE(0)).toBe(82); // type byte + 80 fixed bytes + 1 path byte
    expect(run[4]).toBe(3);
    expect(run.readUInt32LE(5)).toBe(3);
    expect(run.readUInt32LE(9)).toBe(0x1000);
    expect(run.readUInt32LE(13)).toBe(3);
    expect(run.readUInt32LE(17)).toBe(16);
    expect(run.readBigUInt64LE(21)).toBe(100n);
    expect(run.readBigUInt64LE(29)).toBe(9n);
    expect(run.readBigUInt64LE(37)).toBe(1n);
    expect(run.readBigUInt64LE(45)).toBe(2n);
    expect(run.readBigUInt64LE(53)).toBe(7n);
    expect([run.readUInt32LE(61), run.readUInt32LE(65), run.readUInt32LE(69)]).toEqual([4, 5, 6]);
    expect([run.readUInt32LE(73), run.readUInt32LE(77), run.readUInt32LE(81)]).toEqual([0, 0xffffffff, 2]);
    expect(run.subarray(85).toString()).toBe('w');
  });

  it('parses DONE and event records', () => {
    const done = Buffer.alloc(21 + 4 + 12 + 2);
    done[0] = 1; // hang
    done.writeBigUInt64LE(500n, 1);
    done.writeUInt32LE(7, 9);
    done.writeUInt32LE(8, 13);
    done.writeUInt32LE(1, 17);
    done.writeUInt32LE(99, 21);
    done.writeUInt32LE(1, 25);
    done.writeUInt32LE(2, 29);
    done.writeUInt32LE(3, 33);
    done.write('hi', 37);
    expect(parseDone(done)).toEqual({ status: 'hang', cycles: 500, vcrCycles: 7, accWrites: 8, extra: [99], retired: [1, 2, 3], message: 'hi' });

    const write = Buffer.alloc(18 + 2);
    write[0] = 1;
    write[1] = 6;
    // Above 2^32: the cycle is read as two 32-bit halves.
    write.writeBigUInt64LE(2n ** 33n + 42n, 2);
    write.writeUInt32LE(5, 10);
    write.writeUInt32LE(2, 14);
    write[18] = 0xaa;
    write[19] = 0xbb;
    const retire = Buffer.alloc(26);
    retire[0] = 3;
    retire[1] = 2;
    retire.writeBigUInt64LE(43n, 2);
    retire[10] = 0x11;
    const b = Buffer.concat([write, retire]);
    const seen: unknown[] = [];
    const collect: EventScanner = {
      write: (stream, cycle, addr, at, len) => seen.push({ kind: 'write', stream, cycle, addr, data: [...b.subarray(at, at + len)] }),
      iter: (stream, cycle, ordinal, at, len) => seen.push({ kind: 'iter', stream, cycle, ordinal, data: [...b.subarray(at, at + len)] }),
      retire: (module, cycle, at) => seen.push({ kind: 'retire', module, cycle, insn: [...b.subarray(at, at + 2)] }),
    };
    scanEvents(b, collect);
    expect(seen).toEqual([
      { kind: 'write', stream: 6, cycle: 2 ** 33 + 42, addr: 5, data: [0xaa, 0xbb] },
      { kind: 'retire', module: 2, cycle: 43, insn: [0x11, 0] },
    ]);
    expect(() => scanEvents(Buffer.from([9]), collect)).toThrow(/unknown event record kind 9/);
  });
});
