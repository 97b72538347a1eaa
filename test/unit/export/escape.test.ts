import { describe, expect, it } from 'vitest';
import { parseAddressMap, parseAddressPair } from '../../../core/export/address-map.js';
import { attr } from '../../../core/export/drawio/index.js';
import { commentText, hostPatternCovers, isHeaderName, isSafePathPrefix, NameAllocator, normaliseHostPattern, toIdentifier } from '../../../core/export/escape.js';
import { quoteLogFormat, quoteWord, regexLiteral, statusRangeRegex } from '../../../core/export/haproxy/syntax.js';
import { duration, quote, size } from '../../../core/export/nginx/syntax.js';
import { mapEndpoint, splitHostPort } from '../../../core/export/options.js';
import { str } from '../../../core/export/terraform/hcl.js';

describe('commentText', () => {
  it.each([
    ['plain', 'plain'],
    ['a;}\n}\nserver {', 'a;}\\n}\\nserver {'],
    ['cr\rtab\t', 'cr\\rtab\\t'],
    ['back\\slash', 'back\\\\slash'],
    ['nul\u0000bell\u0007', 'nul\\u0000bell\\u0007'],
    ['line\u2028sep', 'line\\u2028sep'],
  ])('%j -> %j', (input, expected) => expect(commentText(input)).toBe(expected));
});

describe('host patterns', () => {
  it.each([
    ['API.Example.com.', 'api.example.com'],
    ['*.example.com', '*.example.com'],
    ['evil;}.com', undefined],
    ['a b.com', undefined],
    ['ex\nample.com', undefined],
    ['-bad.com', undefined],
    ['*', undefined],
    ['', undefined],
  ])('%j -> %j', (input, expected) => expect(normaliseHostPattern(input)).toBe(expected));

  it.each([
    ['*.example.com', 'a.example.com', true],
    ['*.example.com', 'a.b.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', '*.sub.example.com', true],
    ['a.example.com', 'b.example.com', false],
    ['a.example.com', 'a.example.com', true],
  ])('%s covers %s: %s', (pattern, name, expected) => expect(hostPatternCovers(pattern, name)).toBe(expected));
});

describe('paths and header names', () => {
  it.each([
    ['/', true],
    ['/api/v1/', true],
    ['/a%20b', true],
    ['/a b', false],
    ['/a;b', false],
    ['/a$b', false],
    ['/a"b', false],
    ['/a\nb', false],
    ['api', false],
  ])('path %j safe: %s', (path, expected) => expect(isSafePathPrefix(path)).toBe(expected));
  it.each([
    ['X-Env', true],
    ['X Env', false],
    ['X-Bad\nName', false],
    ['', false],
  ])('header %j valid: %s', (name, expected) => expect(isHeaderName(name)).toBe(expected));
});

describe('identifiers', () => {
  it('reduces to the alphabet and starts with a letter', () => {
    expect(toIdentifier('lb:x.1', /[A-Za-z0-9_]/)).toBe('lb_x_1');
    expect(toIdentifier('1web', /[A-Za-z0-9_]/)).toBe('n_1web');
  });
  it('hands out unique names per key, stable for the same key', () => {
    const names = new NameAllocator();
    expect(names.name('a:b', 'a_b')).toBe('a_b');
    expect(names.name('a.b', 'a_b')).toBe('a_b_2');
    expect(names.name('a:b', 'a_b')).toBe('a_b');
  });
});

describe('nginx syntax', () => {
  it.each([
    ['plain-value', false, 'plain-value'],
    ['two words', false, '"two words"'],
    ['a"b\\c', false, '"a\\"b\\\\c"'],
    ['price $5', true, '"price ${dollar}5"'],
    ['price $5', false, '"price $5"'],
    ['a;}', false, '"a;}"'],
  ])('quote(%j, variables=%s) -> %s', (value, variables, expected) => {
    const state = { needsDollar: false };
    expect(quote(value, variables, state)).toBe(expected);
    expect(state.needsDollar).toBe(variables && value.includes('$'));
  });
  it('writes times and sizes in nginx units', () => {
    expect(duration(30_000)).toBe('30s');
    expect(duration(1500)).toBe('1500ms');
    expect(size(1024 * 1024)).toBe('1m');
    expect(size(2048)).toBe('2k');
    expect(size(1000)).toBe('1000');
  });
});

describe('HAProxy syntax', () => {
  it.each([
    ['plain', 'plain'],
    ['two words', "'two words'"],
    ["it's", "'it'\\''s'"],
    ['${HOME}', "'${HOME}'"],
  ])('quoteWord(%j) -> %s', (value, expected) => expect(quoteWord(value)).toBe(expected));
  it('doubles % in log-format strings', () => expect(quoteLogFormat('100% %[src]')).toBe("'100%% %%[src]'"));
  it('escapes regex metacharacters', () => expect(regexLiteral('/v1.0/+x')).toBe('\\/v1\\.0\\/\\+x'));
  it.each([
    ['200-399', '^(2[0-9][0-9]|3[0-9][0-9])$'],
    ['200', '^(200)$'],
    ['200-204', '^(200|201|202|203|204)$'],
    ['200-219', '^(20[0-9]|21[0-9])$'],
  ])('status range %s -> %s', (range, expected) => expect(statusRangeRegex(range)).toBe(expected));
  it('the status regex matches exactly the range', () => {
    const regex = new RegExp(statusRangeRegex('204-317'));
    for (let code = 100; code < 600; code++) expect(regex.test(String(code))).toBe(code >= 204 && code <= 317);
  });
});

describe('HCL strings', () => {
  it.each([
    ['plain', '"plain"'],
    ['a"b', '"a\\"b"'],
    ['line\nbreak', '"line\\nbreak"'],
    ['${var.x}', '"$${var.x}"'],
    ['%{ if x }', '"%%{ if x }"'],
    ['\\${x}', '"\\\\$${x}"'],
    ['$5 and 100%', '"$5 and 100%"'],
  ])('str(%j) -> %s', (value, expected) => expect(str(value).text).toBe(expected));
});

describe('XML attributes', () => {
  it('escapes markup and keeps newlines as character references', () => {
    expect(attr('<a href="x">&</a>\nnext')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;&#xa;next');
    expect(attr('nul\u0000gone')).toBe('nulgone');
  });
});

describe('address maps', () => {
  it('reads a plain map, the up --json ready line and single pairs', () => {
    expect(parseAddressMap({ '10.0.1.10:80': '127.0.0.1:8080' })).toEqual({ ok: true, map: { '10.0.1.10:80': '127.0.0.1:8080' } });
    expect(parseAddressMap({ event: 'ready', endpoints: [{ id: 'lb', address: '10.0.1.10:80', url: 'http://127.0.0.1:41234' }] })).toEqual({
      ok: true,
      map: { '10.0.1.10:80': '127.0.0.1:41234' },
    });
    expect(parseAddressPair('[2001:db8::1]:80=[::1]:8080')).toEqual({ ok: true, map: { '[2001:db8::1]:80': '[::1]:8080' } });
  });
  it('refuses what is not an address', () => {
    expect(parseAddressMap({ 'web:80': '127.0.0.1:1' }).ok).toBe(false);
    expect(parseAddressMap({ '10.0.0.1:80': 'nowhere' }).ok).toBe(false);
    expect(parseAddressPair('10.0.0.1:80').ok).toBe(false);
    expect(parseAddressMap('text').ok).toBe(false);
  });
  it('maps endpoints and leaves unknown ones alone', () => {
    expect(mapEndpoint({ addressMap: { '10.0.0.1:80': '127.0.0.1:9' } }, '10.0.0.1', 80)).toEqual({ host: '127.0.0.1', port: 9 });
    expect(mapEndpoint({}, '10.0.0.1', 80)).toEqual({ host: '10.0.0.1', port: 80 });
    expect(splitHostPort('127.0.0.1:70000')).toBeUndefined();
  });
});
