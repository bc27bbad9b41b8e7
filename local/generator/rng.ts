import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

/**
 * A seeded random stream (xoroshiro128+ from pure-rand). Each part of the generator draws from its own
 * stream, made by jumping the root 2^64 steps, so that for example the song catalogue depends only on
 * (seed, songs) and not on how many events are generated.
 */
export class Rng {
  private constructor(private readonly g: JumpableRandomGenerator) {}

  /** Independent streams for one seed (an unsigned 32-bit integer): streams(seed, n)[i] never changes. */
  static streams(seed: number, count: number): Rng[] {
    const root = xoroshiro128plus(seed | 0);
    const out: Rng[] = [];
    for (let i = 0; i < count; i++) {
      out.push(new Rng(root.clone()));
      root.jump();
    }
    return out;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.g);
  }

  /** Uniform integer in [min, max] (both included). */
  int(min: number, max: number): number {
    return uniformInt(this.g, min, max);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick on an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** An index in [0, n) skewed towards 0: P(index < k) = (k/n)^(1/skew). skew 1 is uniform. */
  skewedIndex(n: number, skew: number): number {
    return Math.min(n - 1, Math.floor(n * Math.pow(this.float(), skew)));
  }

  /** An index drawn with the given (non-negative, not all zero) weights. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i] as number;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /** `length` characters from `alphabet`. */
  chars(alphabet: string, length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += alphabet[this.int(0, alphabet.length - 1)];
    return s;
  }
}
