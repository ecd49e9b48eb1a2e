/**
 * One GEMM micro-op iteration in JavaScript: acc[b][o] += Σk inp[b][k] · wgt[o][k] over int8
 * inputs and int32 accumulators. The WebAssembly kernel does this where it can; this loop serves
 * traced iterations, the seeded lane fault, shapes without a kernel and runtimes without
 * WebAssembly. Four products per step when BLOCK_IN allows (every fixture shape) roughly halves
 * the loop overhead; a sum of at most 64 int8 products is exact in int32.
 */
export function gemmBlock(
  inp: Int8Array,
  wgt: Int8Array,
  acc: Int32Array,
  inpBase: number,
  wgtBase: number,
  accBase: number,
  batch: number,
  bIn: number,
  bOut: number,
): void {
  const by4 = bIn % 4 === 0;
  for (let b = 0; b < batch; b++) {
    const inRow = inpBase + b * bIn;
    for (let o = 0; o < bOut; o++) {
      const wRow = wgtBase + o * bIn;
      let sum = 0;
      if (by4) {
        for (let k = 0; k < bIn; k += 4) {
          const i = inRow + k;
          const w = wRow + k;
          sum = (sum + inp[i]! * wgt[w]! + inp[i + 1]! * wgt[w + 1]! + inp[i + 2]! * wgt[w + 2]! + inp[i + 3]! * wgt[w + 3]!) | 0;
        }
      } else {
        for (let k = 0; k < bIn; k++) sum = (sum + inp[inRow + k]! * wgt[wRow + k]!) | 0;
      }
      const lane = accBase + b * bOut + o;
      acc[lane] = acc[lane]! + sum; // the Int32Array store wraps like the hardware adder
    }
  }
}
