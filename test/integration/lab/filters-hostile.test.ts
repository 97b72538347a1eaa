import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Lab } from '../../../core/runtime/lab/lab.js';
import { sendOne } from '../../../core/runtime/load/index.js';
import { handleCounts, realLab } from './helpers.js';

/**
 * Hostile input at the services that security groups filter, over raw sockets. Fixture
 * `filtered-edge`: a forward proxy `fwd`, an L7 balancer `alb` and an L4 balancer `nlb`,
 * all in sg-edge; web1 (10.0.2.10, sg-web: admits sg-edge on 8080) and web2 (10.0.2.11,
 * sg-closed: admits only 10.9.0.0/16). Whatever a client writes, web2 must never get a
 * connection, each refusal must be a complete answer, and the lab must keep serving.
 */

let lab: Lab;
beforeAll(async () => {
  lab = realLab('filtered-edge');
  await lab.start();
});
afterAll(async () => {
  await lab.stop();
  await vi.waitFor(() => expect(handleCounts().servers).toBe(0));
});

function endpointOf(id: string): { host: string; port: number; url: string } {
  const url = lab.endpoints().find((e) => e.id === id)?.url;
  if (!url) throw new Error(`no endpoint for ${id}`);
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port), url };
}

/** Requests web2 answered (health probes included): it must stay 0. */
function web2Served(): number {
  return lab.metrics().find((m) => m.nodeId === 'web2')?.requests ?? -1;
}

/** Writes `bytes` on a fresh socket; resolves everything received once the peer closes or stays silent for `idleMs`. */
function raw(id: string, bytes: string | Buffer, idleMs = 1000): Promise<string> {
  const { host, port } = endpointOf(id);
  return new Promise((resolve) => {
    const socket = connect(port, host);
    let data = '';
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(data);
    };
    let timer = setTimeout(done, idleMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      clearTimeout(timer);
      timer = setTimeout(done, idleMs);
    });
    socket.on('close', done);
    socket.on('error', done);
  });
}

function statusOf(response: string): number {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(response);
  return match ? Number(match[1]) : 0;
}

function headerOf(response: string, name: string): string | undefined {
  const head = response.slice(0, response.indexOf('\r\n\r\n'));
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name}:`));
  return line?.slice(name.length + 1).trim();
}

function bodyOf(response: string): Record<string, unknown> {
  return JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
}

describe('hostile input where security groups filter the lab', () => {
  it('the forward proxy: every spelling of a refused address, by absolute URL or CONNECT, is refused by web2\'s groups', async () => {
    // 10.0.2.11 as inet_aton spells it: decimal, hex, octal, short forms. (Names are refused by the proxy's allow list.)
    const spellings = ['10.0.2.11', '167772683', '0xa00020b', '0x0a.0.2.11', '012.0.2.11', '10.0.523', '10.523'];
    for (const host of spellings) {
      const get = await raw('fwd', `GET http://${host}:8080/x HTTP/1.1\r\nHost: ${host}:8080\r\nConnection: close\r\n\r\n`);
      expect(statusOf(get), `GET via ${host}`).toBe(502);
      expect(headerOf(get, 'x-topolab-blocked-by'), `GET via ${host}`).toBe('web2');
      expect(bodyOf(get)).toMatchObject({ error: 'blocked-by-filter', code: 'security-group', from: 'fwd', blockedBy: 'web2' });
      const tunnel = await raw('fwd', `CONNECT ${host}:8080 HTTP/1.1\r\nHost: ${host}:8080\r\n\r\n`);
      expect(statusOf(tunnel), `CONNECT ${host}`).toBe(502);
      expect(headerOf(tunnel, 'x-topolab-blocked-by')).toBe('web2');
      expect(headerOf(tunnel, 'x-topolab-blocked-code')).toBe('security-group');
      expect(bodyOf(tunnel)).toMatchObject({ error: 'blocked-by-filter', code: 'security-group', blockedBy: 'web2', reason: expect.stringMatching(/allow no inbound tcp port 8080 from 10\.0\.1\.30/) as unknown as string });
    }
    // The IPv4-mapped IPv6 spelling is no way around it either (the allow list, an IPv4 block, refuses it first).
    expect(statusOf(await raw('fwd', 'GET http://[::ffff:10.0.2.11]:8080/ HTTP/1.1\r\nHost: [::ffff:10.0.2.11]:8080\r\nConnection: close\r\n\r\n'))).toBe(403);
    expect(web2Served()).toBe(0);
    // The group that admits the proxy lets the same request through to web1.
    const allowed = await raw('fwd', 'GET http://10.0.2.10:8080/x HTTP/1.1\r\nHost: 10.0.2.10:8080\r\nConnection: close\r\n\r\n');
    expect(statusOf(allowed)).toBe(200);
  });

  it('the forward proxy: malformed targets and ports are 400, never a connection, and it keeps serving', async () => {
    const requests = [
      'CONNECT 10.0.2.11 HTTP/1.1\r\nHost: 10.0.2.11\r\n\r\n',
      'CONNECT 10.0.2.11:0 HTTP/1.1\r\nHost: 10.0.2.11:0\r\n\r\n',
      'CONNECT 10.0.2.11:65536 HTTP/1.1\r\nHost: 10.0.2.11:65536\r\n\r\n',
      'CONNECT 10.0.2.11:-8080 HTTP/1.1\r\nHost: 10.0.2.11\r\n\r\n',
      'CONNECT 10.0.2.11:8080abc HTTP/1.1\r\nHost: 10.0.2.11\r\n\r\n',
      'CONNECT 10.0.2.11:8080:22 HTTP/1.1\r\nHost: 10.0.2.11\r\n\r\n',
      'CONNECT 10.0.2.11%00:8080 HTTP/1.1\r\nHost: 10.0.2.11\r\n\r\n',
      'GET http://10.0.2.11:99999/ HTTP/1.1\r\nHost: 10.0.2.11:99999\r\nConnection: close\r\n\r\n',
      'GET http://10.0.2.11:80a/ HTTP/1.1\r\nHost: 10.0.2.11\r\nConnection: close\r\n\r\n',
      'GET http://user@10.0.2.11@10.0.2.10:8080/ HTTP/1.1\r\nHost: 10.0.2.10\r\nConnection: close\r\n\r\n',
    ];
    for (const request of requests) {
      const answer = await raw('fwd', request);
      const status = statusOf(answer);
      expect([400, 403, 502], `${JSON.stringify(request.split('\r\n')[0])} answered ${answer.slice(0, 120)}`).toContain(status);
      // A 502 here is a refusal with a reason, never an answer from web2.
      if (status === 502) expect(answer).not.toContain('"servedBy"');
    }
    expect(web2Served()).toBe(0);
    expect((await sendOne({ url: endpointOf('alb').url })).status).toBe(200);
  });

  it('the L7 balancer: malformed and smuggling requests are refused, and nothing ever reaches the target its group refuses', async () => {
    const requests = [
      'GARBAGE\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`,
      'GET / HTTP/1.1\r\nHost: x\r\nX-Topolab-Blocked-By: nothing\r\n\0\r\n\r\n',
      '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03',
    ];
    for (const request of requests) {
      const answer = await raw('alb', request);
      // Refused as malformed (400/431) or closed; never a 2xx from a backend.
      expect(answer === '' || [400, 413, 431].includes(statusOf(answer)), `${JSON.stringify(request.slice(0, 40))} answered ${answer.slice(0, 120)}`).toBe(true);
    }
    const served: Record<string, number> = {};
    for (let i = 0; i < 10; i++) {
      const reply = await sendOne({ url: endpointOf('alb').url });
      expect(reply.status).toBe(200);
      for (const id of reply.servedBy) served[id] = (served[id] ?? 0) + 1;
    }
    expect(served).toEqual({ web1: 10 });
    expect(web2Served()).toBe(0);
    expect(lab.metrics().find((m) => m.nodeId === 'alb')?.upstreams?.['web2']).toMatchObject({ healthy: false, chosen: 0 });
  });

  it('the L4 balancer: raw bytes of any kind are spliced to web1 only', async () => {
    const payloads = ['\x00\x01\x02\x03', 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 'SSH-2.0-OpenSSH_9.6\r\n', '\r\n\r\n\r\n'];
    for (let i = 0; i < 12; i++) await raw('nlb', payloads[i % payloads.length] as string, 300);
    const reply = await raw('nlb', 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(statusOf(reply)).toBe(200);
    expect(web2Served()).toBe(0);
    expect(lab.metrics().find((m) => m.nodeId === 'nlb')?.upstreams?.['web2']).toMatchObject({ healthy: false, chosen: 0 });
  });
});
