import { rmSync } from 'node:fs';
import net from 'node:net';
import type { ProbeOutcome } from './protocol.js';

/**
 * A Unix socket that relays each connection to a TCP address inside this namespace: the
 * inner half of a published entry point (the outer half listens on the host's 127.0.0.1).
 * Unix sockets belong to the file system, not to a network namespace, which is what lets
 * them cross from the host into the lab without any interface of the lab on the host.
 */
export class UnixRelay {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    private readonly path: string,
    private readonly host: string,
    private readonly port: number,
  ) {
    this.server = net.createServer((client) => this.relay(client));
  }

  listen(): Promise<void> {
    rmSync(this.path, { force: true });
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.path, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.path, { force: true });
  }

  private relay(client: net.Socket): void {
    const upstream = net.connect({ host: this.host, port: this.port });
    this.sockets.add(client).add(upstream);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}

/** A TCP listener that accepts and closes every connection: a bare destination for probes. */
export function acceptAndClose(host: string, port: number): Promise<net.Server> {
  const server = net.createServer((socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => resolve(server));
  });
}

/** Opens one TCP connection and says how it ended: answered, refused, timed out, unreachable. */
export function probe(host: string, port: number, timeoutMs: number, localPort?: number): Promise<{ outcome: ProbeOutcome; code?: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, ...(localPort !== undefined ? { localPort } : {}) });
    const done = (outcome: ProbeOutcome, code?: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ outcome, ...(code ? { code } : {}), ms: Math.round(performance.now() - started) });
    };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    socket.once('connect', () => done('answered'));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? 'error';
      if (code === 'ECONNREFUSED') done('refused', code);
      else if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') done('unreachable', code);
      else done('error', code);
    });
  });
}
