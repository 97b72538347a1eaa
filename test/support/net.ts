import { connect } from 'node:net';

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
