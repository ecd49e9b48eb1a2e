/**
 * Which micro-op kernels are resident in the uop scratchpad, managed as the upstream runtime
 * does (vta-isa.md §3.2): a kernel already resident is reused; otherwise it is placed at the end
 * of what was placed last, wrapping to index 0 when it does not fit, and any kernel it overlaps
 * is evicted. Each distinct kernel is stored once in the uop DRAM image.
 */
export interface Residency {
  /** First uop scratchpad index of the kernel. */
  bgn: number;
  /** True when the kernel has to be loaded (it was not resident). */
  load: boolean;
  /** Word offset of the kernel in the uop DRAM image. */
  dramWord: number;
}

interface Resident {
  key: string;
  bgn: number;
  end: number;
}

export class UopCache {
  private resident: Resident[] = [];
  private top = 0;
  private readonly dramOffsets = new Map<string, number>();
  private readonly dramWords: number[] = [];

  constructor(private readonly depth: number) {}

  /** Place a kernel (its words); the caller checks that it fits the depth. */
  place(words: Uint32Array): Residency {
    const key = words.join(',');
    let dramWord = this.dramOffsets.get(key);
    if (dramWord === undefined) {
      dramWord = this.dramWords.length;
      this.dramOffsets.set(key, dramWord);
      this.dramWords.push(...words);
    }
    const hit = this.resident.find((r) => r.key === key);
    if (hit) return { bgn: hit.bgn, load: false, dramWord };
    const n = words.length;
    if (this.top + n > this.depth) this.top = 0;
    const bgn = this.top;
    this.resident = this.resident.filter((r) => r.end <= bgn || r.bgn >= bgn + n);
    this.resident.push({ key, bgn, end: bgn + n });
    this.top = bgn + n;
    return { bgn, load: true, dramWord };
  }

  /** The uop DRAM image: every distinct kernel, little-endian 32-bit words. */
  image(): Uint8Array {
    const bytes = new Uint8Array(Math.max(this.dramWords.length, 1) * 4);
    const view = new DataView(bytes.buffer);
    this.dramWords.forEach((w, i) => view.setUint32(i * 4, w, true));
    return bytes;
  }
}
