/**
 * frames: how long the board agent's frame reader (targets/fpga/protocol/frames.ts) takes to
 * receive one frame, against its size — it must be linear (it was quadratic: 1.9 / 5.6 / 23 /
 * 94 s of agent CPU for 8 / 16 / 32 / 64 MiB). Each frame is fed in 64 KiB chunks, the size a
 * socket delivers, each chunk a fresh buffer as the socket's are. Sizes in MiB from
 * VTA_BENCH_FRAME_MIB (default 8,16,32,64), best of VTA_BENCH_FRAME_ROUNDS (default 3).
 * Per size: wall and CPU seconds and CPU nanoseconds per byte; linear means the last stays flat.
 */
import { FrameReader, encodeFrame } from '../targets/fpga/protocol/frames.js';

const CHUNK = 64 * 1024;

export async function benchFrames(): Promise<Record<string, number | string>> {
  const sizes = (process.env.VTA_BENCH_FRAME_MIB ?? '8,16,32,64').split(',').map(Number);
  const rounds = Number(process.env.VTA_BENCH_FRAME_ROUNDS ?? 3);
  const out: Record<string, number | string> = {};
  let first: number | undefined;
  for (const mib of sizes) {
    const frame = encodeFrame(77, Buffer.alloc(mib << 20, 1));
    let wall = Infinity;
    let cpu = Infinity;
    for (let r = 0; r < rounds; r++) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < frame.length; i += CHUNK) chunks.push(Buffer.from(frame.subarray(i, i + CHUNK)));
      const reader = new FrameReader(frame.length);
      const t0 = process.hrtime.bigint();
      const c0 = process.cpuUsage();
      let got = 0;
      for (const c of chunks) got += reader.push(c).length;
      const c1 = process.cpuUsage(c0);
      if (got !== 1) throw new Error(`frame of ${mib} MiB: ${got} frames received`);
      wall = Math.min(wall, Number(process.hrtime.bigint() - t0) / 1e9);
      cpu = Math.min(cpu, (c1.user + c1.system) / 1e6);
    }
    const nsPerByte = (cpu * 1e9) / frame.length;
    first ??= nsPerByte;
    out[`${mib} MiB frame: wall s`] = wall;
    out[`${mib} MiB frame: CPU s`] = cpu;
    out[`${mib} MiB frame: CPU ns/byte`] = nsPerByte;
    out[`${mib} MiB frame: ns/byte vs ${sizes[0]} MiB`] = nsPerByte / first;
  }
  return out;
}
