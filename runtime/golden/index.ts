/**
 * The golden reference: plain integer math, independent of the ISA, the builder and every
 * target. Workloads compute their expected outputs with it.
 */
export * from './int.js';
export * from './matmul.js';
export * from './alu.js';
export * from './requant.js';
export * from './conv2d.js';
