/**
 * Reproducible randomness for the tests' random queries: a seeded generator (mulberry32). The seed
 * is `INDEXER_TEST_SEED` when set, else the clock's; every assertion names it, so a failure can be
 * replayed.
 */

/** A seeded source of random choices. */
export interface Random {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** One element. */
  pick<T>(items: readonly T[]): T;
  /** A random subset (possibly empty). */
  subset<T>(items: readonly T[]): T[];
}

/**
 * A generator seeded from `INDEXER_TEST_SEED` or the clock.
 *
 * @returns The generator.
 */
export function seededRandom(
  seed = Number(process.env["INDEXER_TEST_SEED"] ?? Date.now() % 2 ** 31),
): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    seed,
    next,
    int,
    pick: <T>(items: readonly T[]) => {
      const item = items[int(0, items.length - 1)];
      if (item === undefined) throw new Error("pick from an empty list");
      return item;
    },
    subset: <T>(items: readonly T[]) => items.filter(() => next() < 0.5),
  };
}
