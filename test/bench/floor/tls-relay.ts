/**
 * BENCH TOOL ONLY: the floor of any HTTPS forwarder on Node's sockets. A TLS terminator
 * (`tls.createServer`, the certificate the other sides serve) that parses nothing: each
 * decrypted client connection gets its own TCP connection to the next target in turn and
 * the bytes are relayed both ways with one data handler and one write per chunk, as the
 * lab's L4 balancer relays them (core/runtime/services/l4-balancer.ts). With wrk's
 * keep-alive connections every request costs it one TLS read and write towards the client
 * and one plain read and write towards the backend, and no HTTP work at all.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Target } from './raw-forwarder.js';

function relay(from: net.Socket, to: net.Socket): void {
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) from.pause();
  });
  to.on('drain', () => from.resume());
  from.on('end', () => to.end());
  from.on('error', () => to.destroy());
  from.on('close', () => to.destroy());
}

/** Starts the relay on 127.0.0.1 (port 0) in front of `targets`; returns its endpoint and a close function. */
export async function startTlsRelay(targets: readonly Target[], cert: string, key: string): Promise<{ endpoint: Target; close: () => Promise<void> }> {
  let next = 0;
  const open = new Set<net.Socket>();
  const server = tls.createServer({ cert, key, minVersion: 'TLSv1.2', noDelay: true }, (client) => {
    const target = targets[next] as Target;
    next = (next + 1) % targets.length;
    const upstream = net.connect({ host: target.host, port: target.port, noDelay: true });
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.once('close', () => open.delete(socket));
    }
    relay(client, upstream);
    relay(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    endpoint: { host: address.address, port: address.port },
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
