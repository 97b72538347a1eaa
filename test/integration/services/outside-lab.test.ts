import dns from 'node:dns';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ForwardProxy } from '../../../core/runtime/services/forward-proxy.js';
import type { Endpoint, LabResolver } from '../../../core/runtime/services/types.js';
import { raw, startBackends, statusOf, stopAll } from './helpers.js';
import type { Backend } from '../../../core/runtime/services/backend.js';

/**
 * The lab never sends traffic outside the lab: a bystander listener on loopback that is
 * not part of the design must see no connection, whatever spelling of its address (or
 * name) a client asks the forward proxy for, with an allow list that permits everything.
 * No name is looked up with the system resolver either.
 */

interface Bystander {
  port: number;
  connections: () => number;
  close: () => Promise<void>;
}

async function bystander(host: string): Promise<Bystander | undefined> {
  let count = 0;
  const server = net.createServer((socket) => {
    count += 1;
    socket.end('HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n\r\nbystander');
  });
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(0, host, () => resolve(true));
  });
  if (!listening) return undefined;
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let v4: Bystander;
let v6: Bystander | undefined;
let backends: Backend[];
let proxy: ForwardProxy;
let endpoint: Endpoint;
let web: Endpoint;

beforeAll(async () => {
  v4 = (await bystander('127.0.0.1')) as Bystander;
  v6 = await bystander('::1');
  if (v6 === undefined) console.log('IPv6 loopback unavailable: the [::1] bystander is skipped; its requests still go to the IPv4 one');
  ({ backends } = await startBackends(1, 'web'));
  web = backends[0]?.endpoint() as Endpoint;
  // The design: web1 at 10.0.1.10:80.
  const resolver: LabResolver = (host, port) => {
    if (host !== '10.0.1.10' && host !== 'web1') return undefined;
    return port === 80 ? { nodeId: 'web1', endpoint: web } : { nodeId: 'web1', listensOn: 80 };
  };
  proxy = new ForwardProxy({
    nodeId: 'fwd',
    labAddress: resolver,
    // Everything is allowed by policy: only the lab's own rule keeps traffic inside.
    allow: ['0.0.0.0/0', '::/0', 'localhost', '*.localhost', 'web1', '*.example', '*.test', '2130706433', '0177.0.0.1', '127.1'],
  });
  endpoint = await proxy.start();
});

afterAll(async () => {
  await proxy.stop();
  await stopAll(backends);
  await v4.close();
  await v6?.close();
});

describe('the forward proxy never connects outside the lab', () => {
  const forms = (): [string, number][] => {
    const p = v4.port;
    const p6 = v6?.port ?? p;
    return [
      [`127.0.0.1:${p}`, 403],
      [`localhost:${p}`, 403],
      [`LocalHost.:${p}`, 403],
      [`bystander.localhost:${p}`, 403],
      [`[::1]:${p6}`, 403],
      [`[0:0:0:0:0:0:0:1]:${p6}`, 403],
      [`[::ffff:127.0.0.1]:${p}`, 403],
      [`2130706433:${p}`, 403],
      [`0177.0.0.1:${p}`, 403],
      [`0x7f.0.0.1:${p}`, 403],
      [`127.1:${p}`, 403],
      [`0:${p}`, 403],
      [`0.0.0.0:${p}`, 403],
      [`[::]:${p}`, 403],
      // The lab's own loopback endpoint is no way around its mapping and routing gate.
      [`127.0.0.1:${web.port}`, 403],
      // A node id or designed address on a port the design does not give: refused, never resolved.
      [`web1:${p}`, 502],
      [`10.0.1.10:${p}`, 502],
      // A private address no node has: unreachable.
      [`10.9.9.9:${p}`, 502],
      // A name outside the design: the internet stand-in answers (200), nothing is connected.
      [`bystander.example:${p}`, 200],
      [`no-such-host.test:${p}`, 200],
    ];
  };

  it('for every spelling, absolute-form and CONNECT: the bystander sees no connection and no name is resolved', async () => {
    const lookup = vi.spyOn(dns, 'lookup');
    const promisesLookup = vi.spyOn(dns.promises, 'lookup');
    try {
      for (const [authority, status] of forms()) {
        const get = await raw(endpoint, `GET http://${authority}/probe HTTP/1.1\r\nHost: ${authority}\r\nConnection: close\r\n\r\n`, 500);
        expect(statusOf(get), `GET ${authority}: ${get.slice(0, 300)}`).toBe(status);
        expect(get).not.toContain('bystander\n');
        if (status === 200) expect(get).toMatch(/x-served-by: internet/i);
        const tunnel = await raw(endpoint, `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\nGET /in-tunnel HTTP/1.1\r\nHost: ${authority}\r\nConnection: close\r\n\r\n`, 500);
        expect(statusOf(tunnel), `CONNECT ${authority}: ${tunnel.slice(0, 300)}`).toBe(status);
        if (status === 200) expect(tunnel).toContain('"path":"/in-tunnel"');
      }
      expect(v4.connections()).toBe(0);
      expect(v6?.connections() ?? 0).toBe(0);
      expect(lookup).not.toHaveBeenCalled();
      expect(promisesLookup).not.toHaveBeenCalled();
    } finally {
      lookup.mockRestore();
      promisesLookup.mockRestore();
    }
  });

  it('still reaches the lab node the design names, in any spelling of its address', async () => {
    for (const host of ['10.0.1.10', '167772426', '012.0.1.10', 'WEB1.']) {
      const answer = await raw(endpoint, `GET http://${host}/x HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`, 500);
      expect(statusOf(answer), `${host}: ${answer.slice(0, 200)}`).toBe(200);
      expect(answer).toMatch(/x-served-by: web1/i);
    }
  });
});
