/** Memory choices and tsim target names with a memory (memory-option.ts). */
import { describe, expect, it } from 'vitest';
import { VtaUserError } from '../../runtime/errors.js';
import { checkTsimMemory, DMA_BASE, memoryArgs, parseTsimMemory, parseTsimTargetName } from './memory-option.js';
import { createTsimTarget } from './target.js';

describe('tsim memory option', () => {
  it('parses in-order and emu:SEED', () => {
    expect(parseTsimMemory('in-order')).toEqual({ kind: 'in-order' });
    expect(parseTsimMemory('emu:42')).toEqual({ kind: 'emu', seed: 42 });
    expect(memoryArgs({ kind: 'emu', seed: 42 })).toEqual(['--memory', 'emu:42']);
  });

  it('+dma places the bundle at DMA_BASE: one more simulator argument, kept in the label and the target name', () => {
    expect(parseTsimMemory('in-order+dma')).toEqual({ kind: 'in-order', dma: true });
    expect(parseTsimMemory('emu:3+dma')).toEqual({ kind: 'emu', seed: 3, dma: true });
    expect(DMA_BASE).toBe(2 ** 31);
    expect(memoryArgs({ kind: 'in-order', dma: true })).toEqual(['--memory', 'in-order', '--data-base', '2147483648']);
    expect(memoryArgs({ kind: 'in-order' })).toEqual(['--memory', 'in-order']);
    expect(parseTsimTargetName('tsim@in-order+dma')).toEqual({ memory: { kind: 'in-order', dma: true } });
    expect(parseTsimTargetName('tsim=my@dir/x.patch@in-order+dma')).toEqual({ design: 'my@dir/x.patch', memory: { kind: 'in-order', dma: true } });
    expect(createTsimTarget({ memory: { kind: 'in-order', dma: true } }).name).toBe('tsim@in-order+dma');
    expect(createTsimTarget({ memory: { kind: 'emu', seed: 2, dma: true } }).name).toBe('tsim@emu:2+dma');
  });

  it.each(['in-order+', 'in-order+dma+dma', '+dma', 'emu:+dma'])('rejects %s', (text) => {
    expect(() => parseTsimMemory(text)).toThrow(/optionally followed by \+dma/);
  });

  it.each(['emu', 'emu:', 'emu:-1', 'emu:1.5', 'emu:1e3', 'fpga', 'emu:1234567890123456'])('rejects %s as a user error', (text) => {
    expect(() => parseTsimMemory(text)).toThrow(VtaUserError);
  });

  it('checks objects from TypeScript callers', () => {
    expect(() => checkTsimMemory({ kind: 'emu', seed: -3 })).toThrow(/emu needs a seed/);
    expect(() => checkTsimMemory({ kind: 'emu', seed: 0.5 })).toThrow(VtaUserError);
  });

  it('splits target names into variant and memory', () => {
    expect(parseTsimTargetName('tsim')).toEqual({});
    expect(parseTsimTargetName('tsim:alu-swap')).toEqual({ variant: 'alu-swap' });
    expect(parseTsimTargetName('tsim@emu:7')).toEqual({ memory: { kind: 'emu', seed: 7 } });
    expect(parseTsimTargetName('tsim:in-order-reads@emu:7')).toEqual({ variant: 'in-order-reads', memory: { kind: 'emu', seed: 7 } });
    expect(() => parseTsimTargetName('tsim@board')).toThrow(/in-order or emu:SEED/);
  });

  it('names the target after its memory, so runs in a store tell the models apart', () => {
    expect(createTsimTarget().name).toBe('tsim');
    expect(createTsimTarget({ memory: { kind: 'in-order' } }).name).toBe('tsim');
    expect(createTsimTarget({ memory: { kind: 'emu', seed: 7 } }).name).toBe('tsim@emu:7');
    expect(createTsimTarget({ variant: 'in-order-reads', memory: { kind: 'emu', seed: 3 } }).name).toBe('tsim:in-order-reads@emu:3');
  });
});
