// Malformed and boundary requests, written byte for byte: the lab's front end answers each
// itself, and the exported nginx/HAProxy must give the same status.

/** A raw request: its name (part of the probe id) and its bytes. */
export interface RawRequest {
  name: string;
  bytes: string;
}

const CRLF = '\r\n';

function request(line: string, headers: string[], body = ''): string {
  return `${line}${CRLF}${[...headers, 'Connection: close'].map((h) => `${h}${CRLF}`).join('')}${CRLF}${body}`;
}

/** The hostile requests for an entry listening for `host` (a Host value its rules accept, or any). */
export function hostileRequests(host: string): RawRequest[] {
  const get = (target: string, headers: string[] = [`Host: ${host}`]): string => request(`GET ${target} HTTP/1.1`, headers);
  const filler = (bytes: number): string => 'x'.repeat(bytes);
  return [
    { name: 'missing-host', bytes: get('/', []) },
    { name: 'two-hosts', bytes: get('/', [`Host: ${host}`, 'Host: other.example']) },
    { name: 'host-with-space', bytes: get('/', ['Host: exa mple.com']) },
    { name: 'host-double-dot', bytes: get('/', ['Host: a..example.com']) },
    { name: 'host-two-trailing-dots', bytes: get('/', ['Host: example.com..']) },
    { name: 'host-userinfo', bytes: get('/', ['Host: user@example.com']) },
    { name: 'bad-percent', bytes: get('/%zz') },
    { name: 'short-percent', bytes: get('/a%4') },
    { name: 'dotdot-above-root', bytes: get('/../x') },
    { name: 'dotdot-climbs-out', bytes: get('/a/../../x') },
    { name: 'encoded-slash', bytes: get('/admin%2Fx') },
    { name: 'encoded-backslash', bytes: get('/a%5Cb') },
    { name: 'encoded-nul', bytes: get('/a%00b') },
    { name: 'bad-percent-in-query', bytes: get('/q?x=%zz') },
    { name: 'uri-too-long', bytes: get(`/${filler(9000)}`) },
    { name: 'header-line-too-long', bytes: get('/', [`Host: ${host}`, `X-Big: ${filler(9000)}`]) },
    { name: 'headers-too-large', bytes: get('/', [`Host: ${host}`, ...[1, 2, 3].map((i) => `X-Fill-${i}: ${filler(6000)}`)]) },
    { name: 'headers-just-fit', bytes: get('/', [`Host: ${host}`, `X-Fill-1: ${filler(6000)}`, `X-Fill-2: ${filler(6000)}`]) },
    { name: 'body-declared-too-large', bytes: request('POST /upload HTTP/1.1', [`Host: ${host}`, `Content-Length: ${11 * 1024 * 1024}`]) },
    { name: 'te-gzip-chunked', bytes: request('POST /upload HTTP/1.1', [`Host: ${host}`, 'Transfer-Encoding: gzip, chunked'], `0${CRLF}${CRLF}`) },
    { name: 'te-gzip-only', bytes: request('POST /upload HTTP/1.1', [`Host: ${host}`, 'Transfer-Encoding: gzip'], '') },
    { name: 'cl-and-te', bytes: request('POST /upload HTTP/1.1', [`Host: ${host}`, 'Content-Length: 5', 'Transfer-Encoding: chunked'], `0${CRLF}${CRLF}`) },
    { name: 'http-2-0-line', bytes: request('GET / HTTP/2.0', [`Host: ${host}`]) },
    { name: 'connect', bytes: request('CONNECT example.com:443 HTTP/1.1', ['Host: example.com:443']) },
    { name: 'options-star', bytes: request('OPTIONS * HTTP/1.1', [`Host: ${host}`]) },
    { name: 'bad-header-name', bytes: get('/', [`Host: ${host}`, 'Bad Header: x']) },
    { name: 'invalid-method', bytes: request('G@T / HTTP/1.1', [`Host: ${host}`]) },
    { name: 'nul-in-header', bytes: get('/', [`Host: ${host}`, 'X-A: a\u0000b']) },
    { name: 'http-1-0-no-host', bytes: request('GET /anything HTTP/1.0', []) },
    { name: 'absolute-form', bytes: get(`http://${host}/anything`, ['Host: other.example']) },
  ];
}
