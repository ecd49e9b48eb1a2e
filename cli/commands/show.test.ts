/**
 * `vta-trace show` as a browser of a real run: retires disassembled with their source-map
 * entries (expected text from the program's listing, `vta-trace bundle show`), --json and --csv
 * carrying the same events, and a run stored without events pointing at the command that records
 * them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

let dir: string;
let sramDb: string;
let digestDb: string;
let reproduce: string;

// vec:matmul_blocked_4x4: #3 is `LOAD WGT sram 0x0000 <- dram 0x00000030  2x2 stride 4 | push ld→cmp`
// and writes WGT elements 0..3; every instruction's source entry is the workload's (its note has commas).
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vta-show-'));
  sramDb = join(dir, 'sram.db');
  digestDb = join(dir, 'digest.db');
  expect((await runCli('diff', 'fsim', 'fsim', '--workload', 'vec:matmul_blocked_4x4', '--mode', 'sram', '--db', sramDb)).code).toBe(0);
  const d = await runCli('diff', 'fsim', 'fsim+gemm-lane:pc=4,lane=3', '--workload', 'vec:matmul_blocked_4x4', '--db', digestDb);
  expect(d.code).toBe(1);
  reproduce = /^reproduce: (.*)$/m.exec(d.out)![1]!;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vta-trace show', () => {
  it('a retire line carries the disassembly and the source-map entry', async () => {
    const r = await runCli('show', '--db', sramDb, '1', '--insn', '3:4');
    expect(r.code).toBe(0);
    const retire = r.out.split('\n').find((l) => l.startsWith('#3 insn.load retire'))!;
    expect(retire).toMatch(/ {2}LOAD WGT +sram 0x0000 <- dram 0x00000030 {2}2x2 stride 4 {2}\| push ld→cmp {2}; vec:matmul_blocked_4x4 — blocked C\[4x64\]/);
    expect(r.out.split('\n').filter((l) => l.startsWith('#3 sram.wgt @'))).toHaveLength(4);
    expect(r.out).toMatch(/^#3 dram\.load extent 1 0x00003400–0x000035ff \(512 bytes\) {2}\(cycle \d+\)$/m);
  });

  it('--json: the run and its events, retires with disasm and source', async () => {
    const r = await runCli('show', '--db', sramDb, '1', '--insn', '3:4', '--json');
    const doc = JSON.parse(r.out);
    expect(doc.run).toMatchObject({ id: 1, target: 'fsim', mode: 'sram' });
    expect(doc.events.map((e: { stream: string; addr: number }) => `${e.stream}@${e.addr}`)).toEqual(['insn.load@-1', 'sram.wgt@0', 'sram.wgt@1', 'sram.wgt@2', 'sram.wgt@3', 'dram.load@0', 'dram.load@1']);
    // What the LOAD read: 2 rows of 2 WGT elements (256 bytes each) from element 0x30, x_stride 4.
    expect(doc.events.slice(5).map((e: { lanes: number[] }) => e.lanes)).toEqual([
      [0x30 * 256, 2 * 256],
      [(0x30 + 4) * 256, 2 * 256],
    ]);
    expect(doc.events[0].disasm).toMatch(/^LOAD WGT/);
    expect(doc.events[0].source.op).toBe('vec:matmul_blocked_4x4');
    expect(doc.events[1].lanes).toHaveLength(256);
    expect(doc.record).toBeNull();
  });

  it('--csv: a header and one record per event, the source quoted (it has commas)', async () => {
    const r = await runCli('show', '--db', sramDb, '1', '--insn', '3:4', '--csv');
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe('pc,stream,addr,cycle,disasm,source,lanes');
    expect(lines).toHaveLength(1 + 7);
    expect(lines[1]).toMatch(/^3,insn\.load,-1,\d+,LOAD WGT [^,]*,"vec:matmul_blocked_4x4 — [^"]*",/);
    // A WGT row: no disasm or source, 256 lanes in the last field.
    const wgt = lines[2]!.split(',');
    expect(wgt.slice(0, 3)).toEqual(['3', 'sram.wgt', '0']);
    expect(wgt[6]!.split(' ')).toHaveLength(256);
  });

  it('a digest-mode run: no events, and the command that records the divergent window', async () => {
    const r = await runCli('show', '--db', digestDb, '2');
    expect(r.out).toContain(`(no events stored: mode digest) — to record them: ${reproduce}\n`);
    expect(reproduce).toMatch(/--mode sram --insn \d+:5/);
    expect(JSON.parse((await runCli('show', '--db', digestDb, '2', '--json')).out).record).toBe(reproduce);
  });

  it('after a digest-mode diff, the report says how to record and browse the detail, and that works as printed', async () => {
    const d = await runCli('diff', '--db', digestDb, '1', '2');
    expect(d.out).toContain('  vta-trace show last --insn 4:5   (fsim+gemm-lane:pc=4,lane=3)\n');
    expect(d.out).toContain('  vta-trace show last-1 --insn 4:5   (fsim)\n');
    // Run the reproduce command as printed (no quoting in it here), then the show line.
    expect((await runCli(...reproduce.split(' ').slice(1), '--db', digestDb)).code).toBe(1);
    const shown = (await runCli('show', '--db', digestDb, 'last', '--insn', '4:5')).out;
    // GEMM #4 writes ACC rows 0..3 (acc +2/+1 over a 2x2 iteration): retire first, then the rows.
    expect(shown.split('\n').filter((l) => l.startsWith('#4 ')).map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual(['#4 insn.compute retire', '#4 sram.acc @0', '#4 sram.acc @1', '#4 sram.acc @2', '#4 sram.acc @3']);
  });

  it('--json with --csv is refused', async () => {
    const r = await runCli('show', '--db', sramDb, '1', '--json', '--csv');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/either --json or --csv/);
  });
});
