import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { deriveParams } from './config.js';
import { resolveConfig } from './fixtures.js';
import { layoutOf } from '../isa/layout.js';

const UPSTREAM_DEFAULT = {
  TARGET: 'sim',
  HW_VER: '0.0.2',
  LOG_INP_WIDTH: 3,
  LOG_WGT_WIDTH: 3,
  LOG_ACC_WIDTH: 5,
  LOG_BATCH: 0,
  LOG_BLOCK: 4,
  LOG_UOP_BUFF_SIZE: 15,
  LOG_INP_BUFF_SIZE: 15,
  LOG_WGT_BUFF_SIZE: 18,
  LOG_ACC_BUFF_SIZE: 17,
};

describe('derived constants (vta-isa.md §1.2–1.3 default column)', () => {
  const p = deriveParams(UPSTREAM_DEFAULT);
  it('matches the upstream default values', () => {
    expect([p.batch, p.blockIn, p.blockOut]).toEqual([1, 16, 16]);
    expect([p.inpWidth, p.wgtWidth, p.accWidth, p.outWidth]).toEqual([8, 8, 32, 8]);
    expect(p.logOutBuffSize).toBe(15);
    expect([p.logUopDepth, p.logInpDepth, p.logWgtDepth, p.logAccDepth]).toEqual([13, 11, 10, 11]);
    expect([p.uopDepth, p.inpDepth, p.wgtDepth, p.accDepth, p.outDepth]).toEqual([8192, 2048, 1024, 2048, 2048]);
    expect([p.inpMatrixWidth, p.wgtMatrixWidth, p.accMatrixWidth, p.outMatrixWidth]).toEqual([128, 2048, 512, 128]);
    expect(p.elemBytes).toEqual({ insn: 16, uop: 4, inp: 16, wgt: 256, acc: 64, out: 16 });
    expect([p.logBusWidth, p.busBytes]).toEqual([6, 8]);
    expect(p.bitstream).toBe('1x16_i8w8a32_15_15_18_17');
    expect(p.aluOpcodes).toBe('upstream');
  });
  it('uses a 128-bit bus on ultra96 and zcu104 as pkg_config.py does', () => {
    expect(deriveParams({ ...UPSTREAM_DEFAULT, TARGET: 'ultra96' }).busBytes).toBe(16);
    expect(deriveParams({ ...UPSTREAM_DEFAULT, TARGET: 'pynq' }).busBytes).toBe(8);
  });
  it('hash depends on content, not key order', () => {
    const reordered = Object.fromEntries(Object.entries(UPSTREAM_DEFAULT).reverse());
    expect(deriveParams(reordered).hash).toBe(p.hash);
    expect(deriveParams({ ...UPSTREAM_DEFAULT, LOG_BATCH: 1 }).hash).not.toBe(p.hash);
  });
});

describe('fixture configs', () => {
  it('rect-8x16 has separate block sizes and depths from each', () => {
    const p = resolveConfig('rect-8x16');
    expect([p.blockIn, p.blockOut]).toEqual([8, 16]);
    // INP: 2^13 bytes / (1*8 bytes) = 1024; WGT: 2^15 / (16*8) = 256; ACC: 2^15 / (16*4) = 512.
    expect([p.inpDepth, p.wgtDepth, p.accDepth]).toEqual([1024, 256, 512]);
    expect(p.elemBytes).toMatchObject({ inp: 8, wgt: 128, acc: 64, out: 16 });
    expect(p.bitstream).toBe('1x8x16_i8w8a32_12_13_15_15');
  });
  it('small-fork enables the pad flag in the first spare bit of word0', () => {
    const p = resolveConfig('small-fork');
    expect(layoutOf(p).LOAD.get('is_pad_min_value')).toEqual({ lsb: 58, width: 1 });
    expect(layoutOf(p).LOAD.get('y_size')).toEqual({ lsb: 64, width: 16 });
    expect(layoutOf(resolveConfig('small')).LOAD.has('is_pad_min_value')).toBe(false);
  });
});

describe('invalid configurations name the key and the constraint', () => {
  const bad = (patch: Record<string, unknown>) => () => deriveParams({ ...UPSTREAM_DEFAULT, ...patch }, 'my.json');
  it.each([
    [{ LOG_BATCH: undefined }, /my\.json: config key LOG_BATCH: is required/],
    [{ LOG_BLOCK: 'four' }, /LOG_BLOCK: must be an integer, got "four"/],
    [{ LOG_BLOCK: 9 }, /LOG_BLOCK: must be in 0\.\.6, got 9/],
    [{ LOG_INP_WIDTH: 2 }, /LOG_INP_WIDTH: must be in 3\.\.3/],
    [{ LOG_ACC_BUFF_SIZE: 5 }, /LOG_ACC_BUFF_SIZE: buffer smaller than one element/],
    [{ BUS_WIDTH_BYTES: 24 }, /BUS_WIDTH_BYTES: must be 8, 16, 32 or 64/],
    [{ ALU_OPCODES: 'x' }, /ALU_OPCODES: must be "upstream" or "fork"/],
    [{ PAD_MIN_VALUE: 1 }, /PAD_MIN_VALUE: must be true or false/],
    [{ TRACE_UNIT: 'yes' }, /TRACE_UNIT: must be true or false/],
    [{ LOG_BLOCKS: 4 }, /LOG_BLOCKS: is not a known configuration key/],
    // 29-bit loop counts: word0 of GEMM would need 7 + 1 + 13 + 14 + 2*29 bits.
    // word0 fills exactly (7 + 1 + 13 + 14 + 29 = 64); iter_in starts word1 at 64, and after the
    // dst and src-out factors (64 + 29 + 3·11 = 126) src_factor_in cannot cross bit 128.
    [{ ITER_WIDTH: 29 }, /ITER_WIDTH: GEMM field src_factor_in \(11 bits, placed at bit 128\) would end at bit 139, beyond the 128-bit instruction/],
    // Huge buffers: the uop dst/src/wgt indices no longer fit in a 32-bit micro-op.
    [{ LOG_ACC_BUFF_SIZE: 22, LOG_INP_BUFF_SIZE: 20, LOG_WGT_BUFF_SIZE: 25 }, /buffer depth 2\^\d+ exceeds|micro-op/],
  ])('%o', (patch, message) => {
    const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const fn = 'LOG_BATCH' in patch && patch.LOG_BATCH === undefined
      ? () => {
          const { LOG_BATCH: _, ...rest } = UPSTREAM_DEFAULT;
          return deriveParams(rest, 'my.json');
        }
      : bad(clean);
    expect(fn).toThrow(ConfigError);
    expect(fn).toThrow(message);
  });
  it('rejects a uop that no longer fits in 32 bits', () => {
    // acc 11 + inp 10 + wgt 11 index bits: the GEMM and ALU words still fit (2·32 ≤ 64,
    // 4·11 + 20 ≤ 64), but the micro-op needs 11 + max(11, 10) + 11 = 33 bits.
    expect(() => deriveParams({ ...UPSTREAM_DEFAULT, LOG_INP_BUFF_SIZE: 14, LOG_WGT_BUFF_SIZE: 19 })).toThrow(
      /UOP field wgt_idx \(11 bits, placed at bit 32\) would end at bit 43, beyond the 32-bit micro-op/,
    );
  });
});
