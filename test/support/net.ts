import { once } from 'node:events';
import { connect, createServer, type AddressInfo } from 'node:net';

/** Whether something accepts TCP connections on `host:port` (127.0.0.1 unless told). */
export function acceptsConnections(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Whether something accepts TCP connections at a `http://host:port` URL. */
export function acceptsConnectionsAt(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return acceptsConnections(Number(port), hostname);
}

/** Ports this process has handed out: the kernel may offer a just-released port again. */
const handedOut = new Set<number>();

/**
 * A free loopback port (from port 0), released at once for the tool under test to take. Never
 * the same port twice in one process: two calls in a row can get the same port back from the
 * kernel, and a config naming it twice is refused ("a duplicate default server", CI run 13).
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    server.close();
    await once(server, 'close');
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('no loopback port left that this process has not handed out already');
}
