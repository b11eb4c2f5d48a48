/**
 * Per-key rate limit: a token bucket of `perMinute` tokens refilled continuously (a burst of up to `perMinute`
 * requests, then one every 60/perMinute s). A refused request learns when the next token is there (Retry-After).
 * In memory: each API process limits on its own (one process in embedded mode).
 */
export interface RateLimiter {
  /** null: allowed; otherwise the seconds until a request would be allowed */
  take(key: string, nowMs?: number): number | null;
}

export function createRateLimiter(perMinute: number): RateLimiter {
  const ratePerMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key, nowMs = Date.now()) {
      let b = buckets.get(key);
      if (!b) {
        if (buckets.size > 100_000) buckets.clear();
        buckets.set(key, (b = { tokens: perMinute, at: nowMs }));
      }
      b.tokens = Math.min(perMinute, b.tokens + (nowMs - b.at) * ratePerMs);
      b.at = nowMs;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return null;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / ratePerMs / 1000));
    },
  };
}
