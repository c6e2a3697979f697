/**
 * A request rate limit per client address: a token bucket of `requests` tokens that refills at
 * `requests / perSeconds` tokens a second. It keeps one small entry per recent client and forgets
 * clients whose bucket is full again.
 */

/** Past this many clients, full buckets are forgotten. */
const MAX_TRACKED = 10_000;

/** Takes a token for a client, or says how long to wait. */
export interface RateLimiter {
  /** `0` when the request may go ahead, else the seconds until a token is free. */
  take(client: string): number;
  /** How many clients it keeps a bucket for (full buckets are forgotten past 10000 clients). */
  tracked(): number;
}

/**
 * Creates a rate limiter.
 *
 * @param limit `requests` per `perSeconds`.
 * @param now The clock, in milliseconds.
 * @example
 * const limiter = createRateLimiter({ requests: 60, perSeconds: 60 });
 * if (limiter.take(address) > 0) respond(429);
 * @throws nothing.
 */
export function createRateLimiter(
  limit: { requests: number; perSeconds: number },
  now: () => number = Date.now,
): RateLimiter {
  const perMs = limit.requests / (limit.perSeconds * 1000);
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(client) {
      const t = now();
      if (buckets.size >= MAX_TRACKED) {
        for (const [key, bucket] of buckets) {
          if (bucket.tokens + (t - bucket.at) * perMs >= limit.requests) buckets.delete(key);
        }
      }
      const bucket = buckets.get(client) ?? { tokens: limit.requests, at: t };
      const tokens = Math.min(limit.requests, bucket.tokens + (t - bucket.at) * perMs);
      if (tokens < 1) {
        buckets.set(client, { tokens, at: t });
        return Math.ceil((1 - tokens) / perMs / 1000);
      }
      buckets.set(client, { tokens: tokens - 1, at: t });
      return 0;
    },
    tracked: () => buckets.size,
  };
}
