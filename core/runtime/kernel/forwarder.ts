import net from 'node:net';
import type { Endpoint } from '../services/types.js';

/**
 * The outer half of a published entry point: a TCP listener on the host's 127.0.0.1 that
 * passes each connection to a Unix socket, behind which the node's namespace host connects
 * to the node's designed address. So the desktop reaches the lab at loopback URLs while no
 * interface of the lab exists in the host's network namespace. A stopped node closes the
 * listener (connections are refused, as in the loopback lab); a restart binds the same port.
 */
export class LoopbackForwarder {
  private server: net.Server | undefined;
  private port: number | undefined;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    private readonly socketPath: string,
    pinnedPort?: number,
  ) {
    this.port = pinnedPort;
  }

  /** Listens on 127.0.0.1 (the pinned or previous port, else any free one). */
  async open(): Promise<Endpoint> {
    if (this.server) return { host: '127.0.0.1', port: this.port as number };
    const server = net.createServer((client) => this.relay(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: this.port ?? 0 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    return { host: '127.0.0.1', port: this.port };
  }

  /** Stops listening and drops open connections; the port is kept for the next `open`. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private relay(client: net.Socket): void {
    const inner = net.connect(this.socketPath);
    this.sockets.add(client).add(inner);
    const end = (): void => {
      client.destroy();
      inner.destroy();
      this.sockets.delete(client);
      this.sockets.delete(inner);
    };
    client.on('error', end).on('close', end);
    inner.on('error', end).on('close', end);
    client.pipe(inner);
    inner.pipe(client);
  }
}
