import { describe, expect, it } from 'vitest';
import { parseAuthority } from '../../../core/runtime/http/authority.js';
import { inspectRequest, type RequestHead } from '../../../core/runtime/http/hygiene.js';
import { parseRequestTarget } from '../../../core/runtime/http/request-target.js';

function head(url: string, rawHeaders: string[] = ['Host', 'example.test'], method = 'GET', minor = 1, major = 1): RequestHead {
  return { method, url, httpVersionMajor: major, httpVersionMinor: minor, rawHeaders };
}

describe('Host / authority grammar (RFC 9110 7.2, RFC 3986 3.2.2)', () => {
  it.each([
    ['example.test', 'example.test', undefined],
    ['Example.TEST:8080', 'example.test', 8080],
    ['10.0.1.10:80', '10.0.1.10', 80],
    ['[2001:db8::1]:443', '[2001:db8::1]', 443],
    ['[::1]', '[::1]', undefined],
    ['host:', 'host', undefined],
    ['a_b.example.', 'a_b.example.', undefined],
    ['%41.example', '%41.example', undefined],
    ['2130706433', '2130706433', undefined],
  ])('accepts %s', (text, host, port) => {
    const parsed = parseAuthority(text);
    expect(parsed).toEqual({ ok: true, authority: { host, ...(port !== undefined ? { port } : {}) } });
  });

  it.each([
    ['', 'empty'],
    ['a b', 'space'],
    ['a/b', 'slash'],
    ['a, b', 'comma list with a space'],
    ['a,b', 'comma list'],
    ['user@host', 'userinfo'],
    [':80', 'empty host with a port'],
    ['host:http', 'a named port'],
    ['host:99999', 'port out of range'],
    ['host:80:81', 'two ports'],
    ['[::1', 'unclosed IPv6 literal'],
    ['[not-v6]', 'not an IPv6 address'],
    ['[::1]x', 'junk after the literal'],
    ['a%zz', 'bad percent-escape'],
    ['a\tb', 'a tab'],
    ['a"b', 'a quote'],
  ])('refuses %j (%s)', (text) => {
    expect(parseAuthority(text).ok).toBe(false);
  });
});

describe('request-target forms (RFC 9112 3.2)', () => {
  it('parses origin, absolute, asterisk and authority forms', () => {
    expect(parseRequestTarget('/a?b#frag', 'GET')).toEqual({ ok: true, target: { form: 'origin', path: '/a?b' } });
    expect(parseRequestTarget('HTTP://Host.Example:8080/p?q#f', 'GET')).toEqual({
      ok: true,
      target: { form: 'absolute', scheme: 'http', authority: { host: 'host.example', port: 8080 }, raw: 'Host.Example:8080', path: '/p?q', emptyPath: false },
    });
    expect(parseRequestTarget('http://h', 'OPTIONS')).toMatchObject({ ok: true, target: { path: '/', emptyPath: true } });
    expect(parseRequestTarget('http://h?x', 'GET')).toMatchObject({ ok: true, target: { path: '/?x', emptyPath: false } });
    expect(parseRequestTarget('*', 'OPTIONS')).toEqual({ ok: true, target: { form: 'asterisk' } });
    expect(parseRequestTarget('h:443', 'CONNECT')).toEqual({ ok: true, target: { form: 'authority', authority: { host: 'h', port: 443 } } });
  });

  it.each([
    ['*', 'GET'],
    ['**', 'OPTIONS'],
    ['*x', 'GET'],
    ['h', 'CONNECT'],
    ['h:', 'CONNECT'],
    ['http:///x', 'GET'],
    ['http://user@h/', 'GET'],
    ['http://a b/', 'GET'],
    ['example.test/x', 'GET'],
  ])('refuses %j for %s', (target, method) => {
    expect(parseRequestTarget(target, method).ok).toBe(false);
  });
});

describe('inspectRequest: what the front end answers itself', () => {
  it.each<[string, RequestHead, number, string]>([
    ['duplicate Host', head('/', ['Host', 'a', 'host', 'b']), 400, 'duplicate-host'],
    ['Host with a space', head('/', ['Host', 'a b']), 400, 'bad-host'],
    ['Host with a slash', head('/', ['Host', 'a/b']), 400, 'bad-host'],
    ['Host comma list', head('/', ['Host', 'a, b']), 400, 'bad-host'],
    ['empty Host', head('/', ['Host', '']), 400, 'bad-host'],
    ['no Host in HTTP/1.1', head('/', []), 400, 'missing-host'],
    ['GET *', head('*'), 400, 'bad-request-target'],
    ['an upper-case non-http scheme', head('FTP://a/b'), 400, 'bad-request-target'],
    ['authority-form without CONNECT', head('a:80'), 400, 'bad-request-target'],
    ['HTTP/2.0 in a text request line', head('/', undefined, 'GET', 0, 2), 505, 'http-version-not-supported'],
    ['Transfer-Encoding in HTTP/1.0', head('/', ['Transfer-Encoding', 'chunked'], 'POST', 0), 400, 'bad-framing'],
    ['chunked not last', head('/', ['Host', 'a', 'Transfer-Encoding', 'chunked, gzip'], 'POST'), 400, 'bad-framing'],
    ['identity coding', head('/', ['Host', 'a', 'Transfer-Encoding', 'identity'], 'POST'), 400, 'bad-framing'],
    ['an unknown coding before chunked', head('/', ['Host', 'a', 'Transfer-Encoding', 'gzip, chunked'], 'POST'), 501, 'unsupported-transfer-coding'],
  ])('%s -> %i', (_name, request, status, code) => {
    expect(inspectRequest(request, 'server')).toMatchObject({ action: 'refuse', status, code });
  });

  it('answers OPTIONS * (and OPTIONS with an empty absolute path) itself, serves the rest', () => {
    expect(inspectRequest(head('*', undefined, 'OPTIONS'), 'server')).toEqual({ action: 'options-star' });
    expect(inspectRequest(head('http://a', undefined, 'OPTIONS'), 'server')).toEqual({ action: 'options-star' });
    expect(inspectRequest(head('*', undefined, 'OPTIONS'), 'proxy')).toEqual({ action: 'options-star' });
    expect(inspectRequest(head('/x'), 'server')).toMatchObject({ action: 'serve', target: { form: 'origin' } });
    expect(inspectRequest(head('http://b:81/x'), 'server')).toMatchObject({ action: 'serve', target: { form: 'absolute', raw: 'b:81', path: '/x' } });
    expect(inspectRequest(head('/', [], 'GET', 0), 'server')).toMatchObject({ action: 'serve' });
    expect(inspectRequest(head('/', ['Host', 'a', 'Transfer-Encoding', 'Chunked'], 'POST'), 'server')).toMatchObject({ action: 'serve' });
  });

  it('in proxy mode wants absolute-form http, and points https at CONNECT', () => {
    expect(inspectRequest(head('/x'), 'proxy')).toMatchObject({ action: 'refuse', status: 400, code: 'not-absolute-form' });
    expect(inspectRequest(head('https://a/'), 'proxy')).toMatchObject({ action: 'refuse', status: 400, message: expect.stringContaining('CONNECT') });
    expect(inspectRequest(head('http://a/x'), 'proxy')).toMatchObject({ action: 'serve', target: { form: 'absolute' } });
    expect(inspectRequest(head('a:443', ['Host', 'a:443'], 'CONNECT'), 'proxy')).toMatchObject({ action: 'serve', target: { form: 'authority' } });
    expect(inspectRequest(head('a:443', ['Host', 'a', 'Host', 'b'], 'CONNECT'), 'proxy')).toMatchObject({ action: 'refuse', code: 'duplicate-host' });
  });
});
