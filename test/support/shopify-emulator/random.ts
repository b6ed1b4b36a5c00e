/**
 * Seeded pseudo-random numbers for the synthetic store. A 32-bit FNV-1a hash of the seed, mixed with
 * a kind and an index, seeds an sfc32 generator, so every entity (a customer, a product) draws from
 * its own independent stream and can be regenerated alone.
 */

/** FNV-1a over the UTF-16 code units of a string. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** MurmurHash3's finaliser: a bijection on 32-bit integers with good avalanche. */
function fmix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Running totals of non-negative weights, for `Random.weighted`. */
export function cumulativeWeights(weights: readonly number[]): Float64Array {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((weight, i) => {
    total += weight;
    cumulative[i] = total;
  });
  return cumulative;
}

const WARM_UP_ROUNDS = 12;

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), 32-bit arithmetic only. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** The stream for entity `index` of `kind` under a seed (`hashString` of it). */
  constructor(seedHash: number, kind: number, index: number) {
    const base = fmix32(seedHash ^ Math.imul(kind + 1, 0x9e3779b9));
    // fmix32 is a bijection, so distinct indexes (below 2^32) start from distinct states.
    this.a = fmix32(base + index);
    this.b = fmix32(this.a ^ 0x6d2b79f5);
    this.c = fmix32(this.b + 0x68e31da4);
    this.d = 1;
    for (let i = 0; i < WARM_UP_ROUNDS; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [min, max], both included. */
  intBetween(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("cannot pick from an empty list");
    return items[this.int(items.length)] as T;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Log-normal with the given median and spread (σ of the underlying normal). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Number of failures before the first success, with the given mean. */
  geometric(mean: number): number {
    if (mean <= 0) return 0;
    return Math.floor(Math.log(1 - this.next()) / Math.log(mean / (mean + 1)));
  }

  /** An index drawn in proportion to the weights behind `cumulativeWeights`. */
  weighted(cumulative: Float64Array): number {
    const last = cumulative.length - 1;
    const target = this.next() * (cumulative[last] ?? 0);
    let low = 0;
    let high = last;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((cumulative[middle] ?? 0) > target) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}
