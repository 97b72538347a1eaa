import { describe, expect, it } from 'vitest';
import { rateLimitHeaders, TokenBucketLimiter } from '../../../../core/runtime/services/gateway/ratelimit.js';

describe('token bucket', () => {
  it('allows the burst, refuses the next with Retry-After, refills at the rate', () => {
    let now = 0;
    const limit = { rate: 2, burst: 3 };
    const bucket = new TokenBucketLimiter(limit, () => now);
    expect([1, 2, 3].map(() => bucket.take('a').allowed)).toEqual([true, true, true]);
    const refused = bucket.take('a');
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 1, limit: 3 });
    expect(rateLimitHeaders(refused, limit)).toEqual({ 'ratelimit-limit': '3', 'ratelimit-remaining': '0', 'ratelimit-reset': '2', 'ratelimit-policy': '3;w=2', 'retry-after': '1' });
    // Another key has its own bucket.
    expect(bucket.take('b').allowed).toBe(true);
    now = 499;
    expect(bucket.take('a').allowed).toBe(false);
    now = 1000;
    expect(bucket.take('a')).toMatchObject({ allowed: true, remaining: 1 });
    now = 100_000;
    expect(bucket.take('a')).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('stays bounded with many keys', () => {
    let now = 0;
    const bucket = new TokenBucketLimiter({ rate: 1, burst: 1 }, () => now);
    for (let i = 0; i < 25_000; i++) {
      now += 1;
      bucket.take(`k${i}`);
    }
    expect(bucket.size).toBeLessThanOrEqual(10_000);
  });

  it('a slow rate gives Retry-After of several seconds', () => {
    const bucket = new TokenBucketLimiter({ rate: 0.1, burst: 1 }, () => 0);
    bucket.take('a');
    expect(bucket.take('a').retryAfterSeconds).toBe(10);
  });
});
