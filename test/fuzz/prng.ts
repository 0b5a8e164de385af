// Seeded PRNG (mulberry32) so every fuzz input can be rebuilt from its seed when a run fails.

export class Rng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A deterministic sample of `n` items, in their original order. */
  sample<T>(items: readonly T[], n: number): T[] {
    if (n >= items.length) {
      return [...items];
    }
    const idx = items.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    return idx
      .slice(0, n)
      .sort((a, b) => a - b)
      .map((i) => items[i]);
  }
}

/** A stable 32-bit hash of a string (FNV-1a), to derive per-input seeds from names. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
