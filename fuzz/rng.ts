/** A seeded generator (mulberry32) and the draws the fuzz groups make from it. Same seed, same cases. */
import { mulberry32 } from '../runtime/mulberry32.js';

export class Rng {
  private readonly draw: () => number;

  constructor(seed: number) {
    // Scrambled (a murmur3 finaliser), so that neighbouring seeds start far apart.
    let h = seed >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    this.draw = mulberry32((h ^ (h >>> 16)) >>> 0);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.draw() / 2 ** 32;
  }

  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(0, 255);
    return out;
  }

  /** A value of any JSON type, biased towards the edges that break parsers and range checks. */
  jsonValue(depth = 0): unknown {
    switch (this.int(0, 9)) {
      case 0:
        return this.pick([0, -1, 1, 2 ** 31, 2 ** 32, 2 ** 53, -(2 ** 53), 1e308, 0.5, -0.0]);
      case 1:
        return this.int(-100, 100);
      case 2:
        return this.text();
      case 3:
        return null;
      case 4:
        return this.chance(0.5);
      case 5:
        return depth > 2 ? [] : Array.from({ length: this.int(0, 3) }, () => this.jsonValue(depth + 1));
      case 6:
        return depth > 2 ? {} : Object.fromEntries(Array.from({ length: this.int(0, 3) }, () => [this.text(), this.jsonValue(depth + 1)]));
      case 7:
        return this.int(0, 2 ** 31);
      case 8:
        return String(this.int(0, 100));
      default:
        return this.pick(['', '0', 'NaN', 'Infinity', '-1', '1e3']);
    }
  }

  /** Short text with line breaks, quotes, control and non-ASCII characters among ordinary ones. */
  text(): string {
    const alphabet = ['a', 'Z', '_', '0', ' ', '\n', '\r', '"', '\\', '\u0000', '\u2028', 'é', '😀', '{', ':', '/', '.', '-'];
    return Array.from({ length: this.int(0, 12) }, () => this.pick(alphabet)).join('');
  }
}
