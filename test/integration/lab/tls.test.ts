import { execFile } from 'node:child_process';
import { copyFile, readFile, stat } from 'node:fs/promises';
import { connect as netConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { Duplex } from 'node:stream';
import { promisify } from 'node:util';
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { realLab, fixturePath, handleCounts } from './helpers.js';
import type { Lab } from '../../../core/runtime/lab/lab.js';
import { ensureAuthority, ensureLeaves } from '../../../core/runtime/tls/authority.js';
import { tempDirPerTest } from '../../support/temp.js';
import { runTopolab } from '../../support/cli.js';

const run = promisify(execFile);
const dir = tempDirPerTest('topolab-tls-');
const labs: Lab[] = [];
afterEach(async () => {
  await Promise.all(labs.splice(0).map((lab) => lab.stop()));
});

async function startTlsLab(): Promise<{ lab: Lab; https(id: string): { port: number }; http(id: string): { port: number }; ca: string }> {
  const lab = realLab('tls', { projectFolder: dir() });
  labs.push(lab);
  await lab.start();
  const byId = new Map(lab.endpoints().map((e) => [e.id, e]));
  const portOf = (url: string | undefined): { port: number } => ({ port: Number(new URL(url ?? 'http://x:0').port) });
  return {
    lab,
    https: (id) => portOf(byId.get(id)?.httpsUrl),
    http: (id) => portOf(byId.get(id)?.url),
    ca: join(dir(), '.topolab/ca/topolab-ca.crt'),
  };
}

/** One TLS handshake; the peer certificate's SAN, or the error code. */
function handshake(port: number, options: tls.ConnectionOptions): Promise<{ san?: string; protocol?: string | null; error?: string }> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ...options });
    socket.once('secureConnect', () => {
      const san = socket.getPeerCertificate().subjectaltname;
      const protocol = socket.getProtocol();
      socket.destroy();
      resolve({ san, protocol });
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
  });
}

/** One HTTPS request (HTTP/1.1 over tls.connect): status line and headers, body. */
function httpsGet(port: number, host: string, ca: string | undefined, path = '/'): Promise<{ status: number; headers: string; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: host, ...(ca !== undefined ? { ca } : {}) });
    let data = '';
    socket.once('secureConnect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.once('end', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head, body });
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
  });
}

/** Sends raw bytes (maybe ending the write side) and waits for the server to close: what it answered. */
function rawExchange(port: number, bytes: Buffer, end: boolean): Promise<{ closed: boolean; answer: Buffer }> {
  return new Promise((resolve) => {
    const socket: Socket = netConnect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.once('connect', () => {
      socket.write(bytes);
      if (end) socket.end();
    });
    socket.once('close', () => resolve({ closed: true, answer: Buffer.concat(chunks) }));
    socket.once('error', () => undefined);
  });
}

/** A plain HTTP request with a chosen Host header (fetch may not set one). */
function plainRequest(port: number, host: string, method = 'GET', path = '/'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.once('error', reject);
    req.end(method === 'POST' ? 'x' : undefined);
  });
}

/** The first bytes of a real ClientHello, captured from Node's own client. */
function clientHelloBytes(): Promise<Buffer> {
  return new Promise((resolve) => {
    const captured: Buffer[] = [];
    const fake = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, done) {
        captured.push(chunk);
        done();
        resolve(Buffer.concat(captured));
      },
    });
    tls.connect({ socket: fake as unknown as Socket, servername: 'shop.example' }).on('error', () => undefined);
  });
}

describe('the project CA', () => {
  it('is created once with a 0600 key and a .gitignore, then reused; leaves are reused too', async () => {
    const first = await ensureAuthority(dir());
    expect(first.created).toBe(true);
    expect((await stat(first.keyPath)).mode & 0o777).toBe(0o600);
    const ignore = await readFile(join(dir(), '.topolab/.gitignore'), 'utf8');
    expect(ignore.split('\n')).toEqual(expect.arrayContaining(['*.key', '*.pem', 'certs/']));
    const again = await ensureAuthority(dir());
    expect(again.created).toBe(false);
    expect(again.certPem).toBe(first.certPem);
    const [leaf] = await ensureLeaves(dir(), first, ['shop.example']);
    const [same] = await ensureLeaves(dir(), again, ['shop.example']);
    expect(same?.certPem).toBe(leaf?.certPem);
    expect((await stat(leaf!.keyPath)).mode & 0o777).toBe(0o600);
    // openssl, not our code, says the leaf chains to the CA and names the host.
    const { stdout } = await run('openssl', ['verify', '-CAfile', first.certPath, leaf!.certPath]);
    expect(stdout).toContain(': OK');
  });

  it('extends a .gitignore the user already has instead of replacing it', async () => {
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(join(dir(), '.topolab'), { recursive: true });
    await writeFile(join(dir(), '.topolab/.gitignore'), 'notes.txt\n*.key\n');
    await ensureAuthority(dir());
    const lines = (await readFile(join(dir(), '.topolab/.gitignore'), 'utf8')).split('\n');
    expect(lines).toEqual(expect.arrayContaining(['notes.txt', '*.key', '*.pem', 'certs/']));
    expect(lines.filter((l) => l === '*.key')).toHaveLength(1);
  });

  it('topolab ca --print names the certificate and how to trust it', async () => {
    await copyFile(fixturePath('tls'), join(dir(), 'shop.topolab.json'));
    const printed = await runTopolab('ca', join(dir(), 'shop.topolab.json'), '--print');
    expect(printed.code).toBe(0);
    const cert = join(dir(), '.topolab/ca/topolab-ca.crt');
    expect(printed.out).toContain(cert);
    for (const hint of ['update-ca-certificates', 'security add-trusted-cert', 'Firefox', `curl --cacert ${cert}`, `NODE_EXTRA_CA_CERTS=${cert}`]) expect(printed.out).toContain(hint);
    const json = await runTopolab('ca', dir(), '--json');
    expect(JSON.parse(json.out)).toEqual({ certificate: cert, created: false });
  });
});

describe('HTTPS in the lab', () => {
  it('serves with the CA trusted and is refused without it (Node and curl)', async () => {
    const { https, ca } = await startTlsLab();
    const port = https('lb').port;
    const caPem = await readFile(ca, 'utf8');
    const trusted = await httpsGet(port, 'shop.example', caPem);
    expect(trusted).toMatchObject({ status: 200 });
    expect(await httpsGet(port, 'shop.example', undefined)).toEqual({ error: 'SELF_SIGNED_CERT_IN_CHAIN' });
    const ok = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--cacert', ca, '--resolve', `shop.example:${port}:127.0.0.1`, `https://shop.example:${port}/`]);
    expect(ok.stdout).toBe('200');
    // curl exit 60: the peer's certificate cannot be verified with the system's roots.
    await expect(run('curl', ['-s', '--resolve', `shop.example:${port}:127.0.0.1`, `https://shop.example:${port}/`])).rejects.toMatchObject({ code: 60 });
  });

  it('picks the certificate of the name the client asks for (SNI), the first one otherwise', async () => {
    const { https } = await startTlsLab();
    const port = https('lb').port;
    expect((await handshake(port, { servername: 'api.example', rejectUnauthorized: false })).san).toBe('DNS:api.example');
    expect((await handshake(port, { servername: 'shop.example', rejectUnauthorized: false })).san).toBe('DNS:shop.example');
    expect((await handshake(port, { servername: 'other.example', rejectUnauthorized: false })).san).toBe('DNS:shop.example');
    // A name the certificate does not carry fails verification, as in a browser.
    const caPem = await readFile(join(dir(), '.topolab/ca/topolab-ca.crt'), 'utf8');
    expect((await handshake(port, { servername: 'other.example', ca: caPem })).error).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('redirects plain HTTP with 301 or 308, sends HSTS on HTTPS only, and tells upstreams the scheme', async () => {
    const { https, http, ca } = await startTlsLab();
    const caPem = await readFile(ca, 'utf8');
    const plain = await plainRequest(http('gw').port, 'www.shop.example', 'GET', '/a/b?c=1');
    expect(plain.status).toBe(301);
    expect(plain.headers['location']).toBe('https://www.shop.example/a/b?c=1');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const post = await plainRequest(http('cache').port, 'static.shop.example:80', 'POST', '/upload');
    expect(post.status).toBe(308);
    expect(post.headers['location']).toBe('https://static.shop.example/upload');
    const secure = await httpsGet(https('gw').port, 'www.shop.example', caPem);
    if ('error' in secure) throw new Error(secure.error);
    expect(secure.status).toBe(200);
    expect(secure.headers.toLowerCase()).toContain('strict-transport-security: max-age=31536000; includesubdomains');
    const echoed = JSON.parse(secure.body) as { headers: Record<string, string> };
    expect(echoed.headers['x-forwarded-proto']).toBe('https');
    // The balancer has no redirect: plain HTTP is served, and says so upstream.
    const lbPlain = await plainRequest(http('lb').port, 'shop.example');
    expect(lbPlain.status).toBe(200);
    expect((JSON.parse(lbPlain.body) as { headers: Record<string, string> }).headers['x-forwarded-proto']).toBe('http');
  });

  it('refuses TLS 1.1 and below, accepts 1.2 and 1.3', async () => {
    const { https } = await startTlsLab();
    const port = https('lb').port;
    const old = await handshake(port, { servername: 'shop.example', rejectUnauthorized: false, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
    // The server's alert, not a client-side refusal: it has no protocol version in common.
    expect(old.error).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
    expect((await handshake(port, { servername: 'shop.example', rejectUnauthorized: false, maxVersion: 'TLSv1.2' })).protocol).toBe('TLSv1.2');
    expect((await handshake(port, { servername: 'shop.example', rejectUnauthorized: false })).protocol).toBe('TLSv1.3');
    await expect(run('curl', ['-s', '-k', '--tls-max', '1.1', `https://127.0.0.1:${port}/`])).rejects.toMatchObject({ code: 35 });
  });

  it('survives hostile bytes on the TLS port: garbage, plain HTTP, a cut-off ClientHello', async () => {
    const { https, ca } = await startTlsLab();
    const port = https('lb').port;
    const caPem = await readFile(ca, 'utf8');
    const hello = await clientHelloBytes();
    expect(hello[0]).toBe(0x16);
    const cases: [string, Buffer, boolean][] = [
      ['garbage', Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0xff, 0x13, 0x37, 0x42, 0x99]), false],
      ['plain HTTP', Buffer.from('GET / HTTP/1.1\r\nHost: shop.example\r\n\r\n'), false],
      ['a ClientHello cut off', hello.subarray(0, Math.floor(hello.length / 2)), true],
      ['a record header claiming 16 KiB', Buffer.from([0x16, 0x03, 0x01, 0x40, 0x00, 0x01]), true],
    ];
    for (const [, bytes, end] of cases) {
      const { closed, answer } = await rawExchange(port, bytes, end);
      expect(closed).toBe(true);
      // Never an HTTP answer from a TLS port, and never a backend's.
      expect(answer.toString('latin1')).not.toContain('x-served-by');
      expect(await httpsGet(port, 'shop.example', caPem)).toMatchObject({ status: 200 });
    }
  });

  it('lab.load and lab.request reach the HTTPS listener trusting the CA; stop leaves nothing open', async () => {
    const before = handleCounts();
    const { lab } = await startTlsLab();
    const result = await lab.load({ to: 'lb', https: true, requests: 40, concurrency: 4, headers: { host: 'api.example' } });
    expect(result.status).toEqual({ '200': 40 });
    // The results say which scheme was used: the URL asked for.
    expect(result.url).toBe(`${lab.endpoints().find((e) => e.id === 'lb')?.httpsUrl}/`);
    const single = await lab.request({ to: 'gw', https: true, path: '/a?b=1', headers: { host: 'www.shop.example' } });
    expect(single.status).toBe(200);
    expect(single.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/a\?b=1$/);
    expect((await lab.request({ to: 'gw' })).url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(single.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    await expect(lab.load({ to: 'web1', https: true, requests: 1 })).rejects.toThrow(/no HTTPS listener/);
    await lab.stop();
    labs.splice(0);
    await expect.poll(() => handleCounts().servers).toBe(before.servers);
  });
});
