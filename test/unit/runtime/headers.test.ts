import { describe, expect, it } from 'vitest';
import { buildForwardHeaders, connectionTokens, headerListItems, isHopByHop, prepareResponseHeaders, responseHeaderList, viaContains } from '../../../core/runtime/http/headers.js';
import { checkingIntervalMs, headerBlockBytes, headerBlockFacts, overflowStatus, resolveLimits } from '../../../core/runtime/http/limits.js';
import { bodyFraming } from '../../../core/runtime/http/forward.js';
import { classifyUpstreamError, isIdempotent, isUpstreamFault, type UpstreamFailure } from '../../../core/runtime/http/upstream-errors.js';

const hop = { remoteAddress: '::ffff:127.0.0.9', localPort: 8080, nodeId: 'lb' };

function asRecord(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) out[(flat[i] as string).toLowerCase()] = flat[i + 1] as string;
  return out;
}

describe('forwarding headers', () => {
  it('appends the socket address to X-Forwarded-For and never keeps a client value alone', () => {
    const built = buildForwardHeaders(['Host', 'a', 'X-Forwarded-For', '1.1.1.1', 'x-forwarded-for', '2.2.2.2', 'X-Real-IP', '6.6.6.6'], hop);
    const h = asRecord(built.headers);
    expect(h['x-forwarded-for']).toBe('1.1.1.1, 2.2.2.2, 127.0.0.9');
    expect(h['x-real-ip']).toBe('127.0.0.9');
    expect(h['x-forwarded-port']).toBe('8080');
    expect(h['x-forwarded-proto']).toBe('http');
    expect(h['via']).toBe('1.1 lb');
    expect(built.host).toBe('a');
    expect(built.loop).toBe(false);
  });

  it('drops hop-by-hop headers and those Connection lists, in any order', () => {
    const built = buildForwardHeaders(
      ['X-Secret', 's', 'Connection', 'keep-alive, X-Secret', 'Keep-Alive', '5', 'TE', 'trailers', 'Trailer', 'x', 'Transfer-Encoding', 'chunked', 'Upgrade', 'h2c', 'Proxy-Authorization', 'b', 'Proxy-Foo', '1', 'Expect', '100-continue', 'Accept', '*/*'],
      hop,
    );
    expect(Object.keys(asRecord(built.headers)).sort()).toEqual(['accept', 'via', 'x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto', 'x-real-ip']);
  });

  it('detects a loop in Via and applies overrides (empty value removes)', () => {
    expect(buildForwardHeaders(['Via', '1.1 edge, 1.1 lb (topolab)'], hop).loop).toBe(true);
    expect(buildForwardHeaders(['Via', '1.1 lb2'], hop).loop).toBe(false);
    const h = asRecord(buildForwardHeaders(['User-Agent', 'x', 'X-A', '1'], hop, { 'user-agent': '', 'x-a': '2', 'x-new': 'n' }).headers);
    expect(h['user-agent']).toBeUndefined();
    expect(h['x-a']).toBe('2');
    expect(h['x-new']).toBe('n');
    expect(viaContains('HTTP/1.1 lb, 1.0 other', 'lb')).toBe(true);
  });

  it('cleans response headers and appends Via', () => {
    const out = prepareResponseHeaders({ connection: 'x-a', 'x-a': '1', 'keep-alive': 't', 'transfer-encoding': 'chunked', via: '1.1 web', etag: '"e"' }, 'lb', { server: 'topolab', etag: '' });
    expect(out).toEqual({ via: '1.1 web, 1.1 lb', server: 'topolab' });
  });

  it('builds the client-bound list from raw upstream headers', () => {
    const raw = ['X-A', '1', 'Connection', 'x-a, keep-alive', 'Keep-Alive', 't', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'Via', '1.1 web', 'ETag', '"e"', 'Transfer-Encoding', 'chunked'].map((t) => Buffer.from(t, 'latin1'));
    expect(responseHeaderList(raw, 'lb')).toEqual(['set-cookie', 'a=1', 'set-cookie', 'b=2', 'etag', '"e"', 'via', '1.1 web, 1.1 lb']);
    expect(responseHeaderList(raw, 'lb', { etag: '', server: 'gw' })).toEqual(['set-cookie', 'a=1', 'set-cookie', 'b=2', 'via', '1.1 web, 1.1 lb', 'server', 'gw']);
  });

  it('knows hop-by-hop names and Connection tokens', () => {
    expect(isHopByHop('proxy-anything')).toBe(true);
    expect(isHopByHop('x-forwarded-for')).toBe(false);
    expect(connectionTokens('close')).toBeUndefined();
    expect([...(connectionTokens(['Keep-Alive, X-A', ' x-b ']) ?? [])]).toEqual(['x-a', 'x-b']);
  });
});

describe('header lists', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['web1', ['web1']],
    [' web1 , gw,, cache ', ['web1', 'gw', 'cache']],
    [['web1, gw', 'cache'], ['web1', 'gw', 'cache']],
  ] as const)('headerListItems(%j) is %j', (value, items) => {
    expect(headerListItems(value)).toEqual(items);
  });

  it('connectionTokens keeps named headers, not close or keep-alive', () => {
    expect(connectionTokens(['close, X-Trace', 'Keep-Alive'])).toEqual(new Set(['x-trace']));
    expect(connectionTokens('close')).toBeUndefined();
  });
});

describe('limits, framing and upstream errors', () => {
  it('fills defaults and measures header blocks', () => {
    expect(resolveLimits({ maxBodyBytes: -1, maxHeaderBytes: 100 })).toEqual({
      maxBodyBytes: 10 * 1024 * 1024,
      maxRequestLineBytes: 8192,
      maxHeaderFieldBytes: 8192,
      maxHeaderBytes: 100,
      headerTimeoutMs: 30_000,
      bodyIdleTimeoutMs: 5_000,
      requestTimeoutMs: 60_000,
    });
    expect(headerBlockBytes(['Host', 'ab'])).toBe(10);
  });

  it('headerBlockFacts measures a block in one pass: size, longest field line, the first Content-Length in any case', () => {
    const raw = ['Host', 'ab', 'X-Long', 'abcdefghij', 'CONTENT-length', '12', 'Content-Length', '99'];
    expect(headerBlockFacts(raw)).toEqual({ bytes: headerBlockBytes(raw), longestField: 18, contentLength: '12' });
    expect(headerBlockFacts([])).toEqual({ bytes: 0, longestField: 0, contentLength: undefined });
    expect(headerBlockFacts(['Content-Lengthy', '5']).contentLength).toBeUndefined();
  });

  it('connectionTokens takes the common single keep-alive or close (any case) without splitting, and still reads lists', () => {
    expect(connectionTokens('Keep-Alive')).toBeUndefined();
    expect(connectionTokens('CLOSE')).toBeUndefined();
    expect(connectionTokens('keep-alivex')).toEqual(new Set(['keep-alivex']));
    expect(connectionTokens('keep-alive, X-Hop')).toEqual(new Set(['x-hop']));
  });

  it('keeps timeouts usable: zero falls back to the default, the request timeout never below the header timeout', () => {
    expect(resolveLimits({ headerTimeoutMs: 0, bodyIdleTimeoutMs: 0 })).toMatchObject({ headerTimeoutMs: 30_000, bodyIdleTimeoutMs: 5_000 });
    expect(resolveLimits({ headerTimeoutMs: 500, requestTimeoutMs: 200 })).toMatchObject({ headerTimeoutMs: 500, requestTimeoutMs: 500 });
    // Node checks its timeouts every interval: a tenth of the shortest, at most 1 s.
    expect(checkingIntervalMs(resolveLimits())).toBe(1000);
    expect(checkingIntervalMs(resolveLimits({ headerTimeoutMs: 300, requestTimeoutMs: 2000 }))).toBe(30);
  });

  it('tells a long request line (414) from large headers (431)', () => {
    expect(overflowStatus(Buffer.from(`GET /${'a'.repeat(100)}`), 50)).toBe(414);
    expect(overflowStatus(Buffer.from('GET / HTTP/1.1\r\nX: yyyyyyyyyy'), 50)).toBe(431);
    expect(overflowStatus(Buffer.from('yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy'), 10)).toBe(431);
    expect(overflowStatus(undefined, 10)).toBe(431);
  });

  it('reads body framing from raw headers', () => {
    expect(bodyFraming(['Host', 'a'])).toBe('none');
    expect(bodyFraming(['Content-Length', '0'])).toBe('none');
    expect(bodyFraming(['content-length', '5'])).toBe('length');
    expect(bodyFraming(['Transfer-Encoding', 'chunked'])).toBe('chunked');
  });

  it('maps upstream errors to 502/504 and retryability', () => {
    expect(classifyUpstreamError({ code: 'ECONNREFUSED' })).toMatchObject({ kind: 'connect', status: 502 });
    expect(classifyUpstreamError({ code: 'UND_ERR_CONNECT_TIMEOUT' })).toMatchObject({ kind: 'connect', status: 504 });
    expect(classifyUpstreamError({ code: 'UND_ERR_HEADERS_TIMEOUT' })).toMatchObject({ kind: 'timeout', status: 504 });
    expect(classifyUpstreamError({ code: 'HPE_INVALID_CONSTANT', message: 'bad' })).toMatchObject({ kind: 'invalid', status: 502 });
    expect(classifyUpstreamError(new Error('other'))).toMatchObject({ kind: 'reset', status: 502 });
    // Not the upstream's fault: never counted, never retried.
    expect(classifyUpstreamError({ code: 'UND_ERR_INVALID_ARG', message: 'invalid host header' })).toMatchObject({ kind: 'unforwardable', status: 500 });
    expect(classifyUpstreamError({ code: 'UND_ERR_NOT_SUPPORTED' })).toMatchObject({ kind: 'unforwardable', status: 500 });
    expect(classifyUpstreamError({ code: 'BODY_TOO_LARGE' })).toMatchObject({ kind: 'client', status: 413 });
    expect(classifyUpstreamError({ code: 'CLIENT_GONE' })).toMatchObject({ kind: 'client', status: 499 });
    expect(['connect', 'timeout', 'reset', 'invalid', 'client', 'unforwardable'].map((kind) => isUpstreamFault({ kind } as UpstreamFailure))).toEqual([true, true, true, true, false, false]);
    expect(['GET', 'HEAD', 'PUT', 'DELETE', 'POST', 'PATCH'].map(isIdempotent)).toEqual([true, true, true, true, false, false]);
  });
});
