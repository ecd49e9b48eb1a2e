/**
 * Test support: the instruction digest of docs/trace-schema.md §Digest (version 2) written again,
 * straight from the text and independently of digest.ts — BigInt arithmetic mod 2^32, words read
 * with a DataView, the finalisers spelt out as the document gives them — so that tests check
 * digest.ts, the WebAssembly lanes and the recorder against something that is not themselves.
 */

const M32 = (1n << 32n) - 1n;
const u = (x: bigint) => x & M32;

/** h ^= h >> s1; h *= m1; h ^= h >> s2; h *= m2; h ^= h >> s3 (mod 2^32). */
function finaliser(s1: bigint, m1: bigint, s2: bigint, m2: bigint, s3: bigint) {
  return (x: bigint) => {
    let h = u(x);
    h = u((h ^ (h >> s1)) * m1);
    h = u((h ^ (h >> s2)) * m2);
    return h ^ (h >> s3);
  };
}

/** MurmurHash3 fmix32. */
export const refMixLo = finaliser(16n, 0x85ebca6bn, 13n, 0xc2b2ae35n, 16n);
/** lowbias32. */
export const refMixHi = finaliser(16n, 0x7feb352dn, 15n, 0x846ca68bn, 16n);

const SEEDS = { lo: 0x811c9dc5n, hi: 0x446b3606n };
const STEP = 0x9e3779b9n;

export interface RefEvent {
  sid: number;
  addr: number;
  data: Uint8Array;
}

/** One event's [lo, hi] terms. */
export function refEventTerms(e: RefEvent): [number, number] {
  const padded = new Uint8Array(Math.ceil(e.data.length / 4) * 4);
  padded.set(e.data);
  const view = new DataView(padded.buffer);
  const tag = u(BigInt(e.sid) * (1n << 24n) + BigInt(e.data.length));
  const out: number[] = [];
  for (const [mix, seed] of [
    [refMixLo, SEEDS.lo],
    [refMixHi, SEEDS.hi],
  ] as const) {
    const key = mix(BigInt(e.addr >>> 0) ^ mix(seed ^ tag));
    let sum = 0n;
    for (let i = 0; i < padded.length / 4; i++) {
      const w = BigInt(view.getUint32(4 * i, true));
      sum = u(sum + mix(w ^ u(key + BigInt(i) * STEP)));
    }
    out.push(Number(sum));
  }
  return [out[0]!, out[1]!];
}

/** An instruction's [lo, hi] digest: the sum of its events' terms (writes and retire record). */
export function refDigest(events: RefEvent[]): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const e of events) {
    const [a, b] = refEventTerms(e);
    lo = (lo + a) % 2 ** 32;
    hi = (hi + b) % 2 ** 32;
  }
  return [lo, hi];
}

/** Seeded numbers in [0, 1) (xorshift), so that tests with random inputs fail repeatably. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}
