import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { unforwardableReason } from '../../../core/runtime/http/forwardable.js';

/** undici's own request builder: what `dispatch` runs before it takes a pool slot. */
type UndiciRequest = new (origin: string, opts: Record<string, unknown>, handler: Record<string, () => unknown>) => unknown;
const UndiciRequest = createRequire(import.meta.url)('undici/lib/core/request.js') as UndiciRequest;
const handler = { onConnect: () => undefined, onHeaders: () => true, onData: () => true, onComplete: () => undefined, onError: () => undefined, onUpgrade: () => undefined };

function undiciAccepts(method: string, path: string, headers: string[]): boolean {
  try {
    new UndiciRequest('http://127.0.0.1:1', { method, path, headers }, handler);
    return true;
  } catch {
    return false;
  }
}

/** A small deterministic PRNG, so a failure names a reproducible case. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const METHODS = ['GET', 'POST', 'OPTIONS', 'PATCH', 'QUERY', 'SOURCE', 'get', 'CONNECT', 'GE T', '', 'X{', 'M\u00e9', 'PROPFIND'];
const PATHS = ['/', '/a?b=c', '*', '**', 'a:80', 'http://h/x', 'https://h/', 'HTTP://h/', 'ftp://h/', '/a b', '/a\tb', '/\u00e9', '/\u0100', '/a#f', '', '/\x7f', '/%zz', '?q'];
const NAMES = ['Host', 'host', 'HOST', 'Content-Length', 'content-length', 'Transfer-Encoding', 'Keep-Alive', 'Upgrade', 'Expect', 'Connection', 'X-A', 'x a', 'X:A', '', 'X-\u00e9', 'Content-Type', 'content-type', 'Via', 'TE', 'x-forwarded-for', '\u0100'];
const VALUES = ['a', '', ' ', '5', '05', '+5', '5, 5', '-1', 'close', 'close, x-a', 'close,', 'x y', 'keep-alive', '100-continue', 'a\tb', 'a\u0001b', 'a\x7fb', '\u00e9', '\u0100', 'a\r\nb', 'chunked'];

describe('unforwardableReason matches what undici refuses to build', () => {
  it('agrees with undici on 20,000 generated requests', () => {
    const random = mulberry32(12);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    let refused = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const method = pick(METHODS);
      const path = pick(PATHS);
      const headers: string[] = [];
      const count = Math.floor(random() * 4);
      for (let h = 0; h < count; h += 1) headers.push(pick(NAMES), pick(VALUES));
      const ours = unforwardableReason(method, path, headers) === undefined;
      const theirs = undiciAccepts(method, path, headers);
      if (ours !== theirs) expect.fail(`case ${i}: ${JSON.stringify({ method, path, headers })}: undici ${theirs ? 'accepts' : 'refuses'}, ours ${ours ? 'accepts' : 'refuses'}`);
      if (!theirs) refused += 1;
    }
    // The generator must exercise both sides for the agreement to mean something.
    expect(refused).toBeGreaterThan(5_000);
    expect(refused).toBeLessThan(19_000);
  });

  it('names the reason for the forms clients send', () => {
    expect(unforwardableReason('OPTIONS', '*', [])).toMatch(/not a path/);
    expect(unforwardableReason('GET', '/', ['Host', 'a', 'host', 'b'])).toMatch(/more than one Host/);
    expect(unforwardableReason('GET', 'HTTP://h/', [])).toMatch(/not a path/);
    expect(unforwardableReason('GET', '/', ['Host', 'a', 'x-a', 'b'])).toBeUndefined();
  });
});
