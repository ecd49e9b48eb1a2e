export { ProgramBuilder, aluOpcodeOf, type AluOp, type DramBlock, type LoadTarget, type Padding } from './program-builder.js';
export { ProgramError } from './program-error.js';
export { VirtualThreads } from './virtual-threads.js';
export { PAGE_BYTES } from './dram-allocator.js';
export { packBlocked, unpackBlocked, tilesOf, type BlockedShape } from './tensor-layout.js';
export type { KernelLoop, KernelUop, UopKernel } from './uop-kernel.js';
