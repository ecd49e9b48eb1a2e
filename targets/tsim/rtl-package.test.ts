/**
 * The generated SV package: field positions against the documented encodings (vta-isa.md §2),
 * sizes against the documented derived constants (§1.3), and a Verilator lint build of our whole
 * RTL (targets/tsim/rtl/files.f) for every fixture configuration.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveParams } from '../../runtime/config/config.js';
import { fixtureConfigNames, resolveConfig } from '../../runtime/config/fixtures.js';
import { ConfigError } from '../../runtime/errors.js';
import { repoPath } from '../../runtime/repo.js';
import { generateVtaPkg } from './rtl-package.js';

/** `localparam … NAME = value;` lines of the package, as numbers. */
function constants(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(/localparam\s+(?:int unsigned|bit|logic \[\d+:0\])\s+(\w+)\s*=\s*(?:\d+'[bd])?(\d+);/g)) {
    out.set(m[1]!, Number(m[2]));
  }
  return out;
}

/** [msb, lsb] of a field, as vta-isa.md writes it. */
function range(c: Map<string, number>, field: string): [number, number] {
  const lsb = c.get(`${field}_LSB`);
  const w = c.get(`${field}_W`);
  if (lsb === undefined || w === undefined) throw new Error(`no ${field} in the package`);
  return [lsb + w - 1, lsb];
}

describe('generateVtaPkg', () => {
  it('places the default configuration fields where vta-isa.md §2.3–2.5 and §3.1 say', () => {
    const c = constants(generateVtaPkg(resolveConfig('default')));
    expect(range(c, 'HDR_OPCODE')).toEqual([2, 0]);
    expect(range(c, 'HDR_PUSH_NEXT_DEP')).toEqual([6, 6]);
    expect(range(c, 'MEM_MEMORY_TYPE')).toEqual([9, 7]);
    expect(range(c, 'MEM_SRAM_BASE')).toEqual([25, 10]);
    expect(range(c, 'MEM_DRAM_BASE')).toEqual([57, 26]);
    expect(range(c, 'MEM_Y_SIZE')).toEqual([79, 64]);
    expect(range(c, 'MEM_X_STRIDE')).toEqual([111, 96]);
    expect(range(c, 'MEM_X_PAD_1')).toEqual([127, 124]);
    expect(range(c, 'GEMM_RESET_REG')).toEqual([7, 7]);
    expect(range(c, 'GEMM_UOP_BGN')).toEqual([20, 8]);
    expect(range(c, 'GEMM_UOP_END')).toEqual([34, 21]);
    expect(range(c, 'GEMM_ITER_OUT')).toEqual([48, 35]);
    expect(range(c, 'GEMM_ITER_IN')).toEqual([62, 49]);
    expect(range(c, 'GEMM_DST_FACTOR_OUT')).toEqual([74, 64]);
    expect(range(c, 'GEMM_SRC_FACTOR_IN')).toEqual([107, 97]);
    expect(range(c, 'GEMM_WGT_FACTOR_IN')).toEqual([127, 118]);
    expect(range(c, 'ALU_SRC_FACTOR_OUT')).toEqual([96, 86]);
    expect(range(c, 'ALU_ALU_OPCODE')).toEqual([110, 108]);
    expect(range(c, 'ALU_USE_IMM')).toEqual([111, 111]);
    expect(range(c, 'ALU_IMM')).toEqual([127, 112]);
    expect(range(c, 'UOP_DST_IDX')).toEqual([10, 0]);
    expect(range(c, 'UOP_SRC_IDX')).toEqual([21, 11]);
    expect(range(c, 'UOP_WGT_IDX')).toEqual([31, 22]);
  });

  it('follows the packing rule for a non-default configuration (vta-isa.md §2.1 example)', () => {
    const p = deriveParams({ ...JSON.parse(readFileSync(repoPath('fixtures', 'configs', 'default.json'), 'utf8')), LOG_UOP_BUFF_SIZE: 10, LOG_ACC_BUFF_SIZE: 12 });
    const c = constants(generateVtaPkg(p));
    expect(range(c, 'GEMM_DST_FACTOR_OUT')).toEqual([58, 53]);
    expect(range(c, 'GEMM_DST_FACTOR_IN')).toEqual([69, 64]);
  });

  it('carries the extension flags and shifts memory fields for PAD_MIN_VALUE', () => {
    const fork = constants(generateVtaPkg(resolveConfig('small-fork')));
    expect(fork.get('ALU_FORK')).toBe(1);
    expect(fork.get('PAD_MIN')).toBe(1);
    expect(range(fork, 'MEM_IS_PAD_MIN_VALUE')).toEqual([58, 58]);
    expect(range(fork, 'MEM_Y_SIZE')).toEqual([79, 64]);
    const def = constants(generateVtaPkg(resolveConfig('default')));
    expect(def.get('ALU_FORK')).toBe(0);
    expect(def.get('PAD_MIN')).toBe(0);
  });

  it('rejects a one-element scratchpad with a ConfigError naming the key', () => {
    const json = { ...JSON.parse(readFileSync(repoPath('fixtures', 'configs', 'default.json'), 'utf8')), LOG_WGT_BUFF_SIZE: 8 }; // 256 bytes: one 16x16 weight tile
    expect(() => generateVtaPkg(deriveParams(json))).toThrow(ConfigError);
    expect(() => generateVtaPkg(deriveParams(json))).toThrow(/LOG_WGT_BUFF_SIZE/);
  });

  it('derives sizes as vta-isa.md §1.3 does (default: 1x16x16, depths 8192/2048/1024/2048, 64-bit bus)', () => {
    const c = constants(generateVtaPkg(resolveConfig('default')));
    expect([c.get('BATCH'), c.get('BLOCK_IN'), c.get('BLOCK_OUT')]).toEqual([1, 16, 16]);
    expect([c.get('UOP_DEPTH'), c.get('INP_DEPTH'), c.get('WGT_DEPTH'), c.get('ACC_DEPTH')]).toEqual([8192, 2048, 1024, 2048]);
    expect([c.get('INP_ELEM_BITS'), c.get('WGT_ELEM_BITS'), c.get('ACC_ELEM_BITS')]).toEqual([128, 2048, 512]);
    expect(c.get('DATA_BITS')).toBe(64);
    const block32 = constants(generateVtaPkg(resolveConfig('block32')));
    expect(block32.get('DATA_BITS')).toBe(256); // BUS_WIDTH_BYTES 32 in fixtures/configs/block32.json
    expect(block32.get('WGT_ELEM_BITS')).toBe(32 * 32 * 8);
  });
});

describe('our RTL under verilator --lint-only -Wall', () => {
  const rtlDir = repoPath('targets', 'tsim', 'rtl');
  const files = readFileSync(join(rtlDir, 'files.f'), 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l !== '')
    .map((f) => join(rtlDir, f));

  // Every fixture, and the trace unit (TRACE_UNIT) on three bus and block shapes.
  const withTrace = ['small', 'default', 'block32'].map((n) => `${n}+TRACE_UNIT`);
  it.each([...fixtureConfigNames(), ...withTrace])('is lint clean for the %s configuration', (name) => {
    const dir = mkdtempSync(join(tmpdir(), 'vta-pkg-'));
    try {
      const pkg = join(dir, 'vta_pkg.sv');
      const [base, extra] = name.split('+');
      const params = extra ? deriveParams({ ...resolveConfig(base!).json, [extra]: true }) : resolveConfig(name);
      writeFileSync(pkg, generateVtaPkg(params));
      const r = spawnSync('verilator', ['--lint-only', '-Wall', '--top-module', 'vta_tsim_top', pkg, ...files], { encoding: 'utf8' });
      expect(r.stderr + r.stdout).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
