/**
 * Mulberry32: a small seedable generator, good enough for test data and for choosing samples.
 * Returns the raw 32-bit draws; callers turn them into what they need (an integer below n, a
 * fraction in [0, 1)). One definition, so every seeded choice in the project draws the same
 * sequence from the same seed on every machine.
 */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
