import type { GatewayRateLimit } from '../../../model/kinds/gateway-fields.js';

/** One decision: allowed or not, and what the `RateLimit-*` headers say. */
export interface RateDecision {
  allowed: boolean;
  /** The bucket size (`RateLimit-Limit`). */
  limit: number;
  /** Whole tokens left after this request (`RateLimit-Remaining`). */
  remaining: number;
  /** Seconds until the bucket is full again (`RateLimit-Reset`). */
  resetSeconds: number;
  /** Seconds until one request is allowed again (`Retry-After`), when refused. */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept per route; beyond this, full (idle) buckets are dropped first, then the oldest. */
const MAX_BUCKETS = 10_000;

/**
 * A token bucket per key (the route, an identity or a client address): `burst` tokens at
 * most, `rate` tokens added per second, one taken per request. `now` is injectable (ms) so
 * the refill can be tested without waiting.
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: GatewayRateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one token from `key`'s bucket, if there is one. */
  take(key: string): RateDecision {
    const { rate, burst } = this.limit;
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      this.evict();
      bucket = { tokens: burst, at: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * rate);
      bucket.at = now;
    }
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    return {
      allowed,
      limit: burst,
      remaining: Math.floor(bucket.tokens),
      resetSeconds: Math.ceil((burst - bucket.tokens) / rate),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - bucket.tokens) / rate)),
    };
  }

  /** How many buckets are kept (bounded by MAX_BUCKETS). */
  get size(): number {
    return this.buckets.size;
  }

  private evict(): void {
    if (this.buckets.size < MAX_BUCKETS) return;
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      // A bucket refilled to the brim is the same as a new one: forgetting it changes nothing.
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.limit.rate >= this.limit.burst) this.buckets.delete(key);
    }
    while (this.buckets.size >= MAX_BUCKETS) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) break;
      this.buckets.delete(oldest);
    }
  }
}

/**
 * The `RateLimit-*` response fields of draft-ietf-httpapi-ratelimit-headers-07 (the
 * `RateLimit-Limit`/`-Remaining`/`-Reset` trio most clients read), with `RateLimit-Policy`
 * naming the bucket (`<burst>;w=<seconds to refill it>`), and `Retry-After` on a refusal.
 */
export function rateLimitHeaders(decision: RateDecision, limit: GatewayRateLimit): Record<string, string> {
  const window = Math.max(1, Math.ceil(limit.burst / limit.rate));
  const out: Record<string, string> = {
    'ratelimit-limit': String(decision.limit),
    'ratelimit-remaining': String(decision.remaining),
    'ratelimit-reset': String(decision.resetSeconds),
    'ratelimit-policy': `${limit.burst};w=${window}`,
  };
  if (!decision.allowed) out['retry-after'] = String(decision.retryAfterSeconds);
  return out;
}
