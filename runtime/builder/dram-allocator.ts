/**
 * Physical DRAM for one program: named buffers, each starting on its own 4 KiB page (so every
 * element size of every configuration divides its address), laid out upward from the first page
 * above 0 (address 0 stays unused, as a null pointer would be).
 */
import type { BufferRole, DramBuffer } from '../bundle/bundle.js';
import { ProgramError } from './program-error.js';

export const PAGE_BYTES = 4096;

export class DramAllocator {
  private next = PAGE_BYTES;
  private readonly byName = new Map<string, DramBuffer>();

  /** A buffer holding `contents`, or `size` zero bytes. */
  alloc(name: string, role: BufferRole, contents: Uint8Array | number): DramBuffer {
    if (this.byName.has(name)) throw new ProgramError(`DRAM buffer "${name}" is allocated twice`);
    const bytes = typeof contents === 'number' ? new Uint8Array(contents) : contents;
    if (bytes.length === 0) throw new ProgramError(`DRAM buffer "${name}" is empty`);
    const buffer: DramBuffer = { name, role, addr: this.next, bytes };
    this.next += Math.ceil(bytes.length / PAGE_BYTES) * PAGE_BYTES;
    if (this.next > 2 ** 32) throw new ProgramError(`DRAM buffer "${name}" ends beyond the 32-bit physical address space`);
    this.byName.set(name, buffer);
    return buffer;
  }

  get buffers(): DramBuffer[] {
    return [...this.byName.values()];
  }
}
