/**
 * The part of the WebAssembly JavaScript API that fsim's kernels and the tracer's digest lanes
 * use, typed here because the project's TypeScript libraries (ES2022 + Node) do not declare it.
 * `wasm` is undefined on a runtime without WebAssembly.
 */
export interface WasmModule {
  readonly kind?: 'module';
}

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

export const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** Bytes per WebAssembly memory page. */
export const WASM_PAGE = 65536;
