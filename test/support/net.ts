import { connect, createServer } from 'node:net';

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

/** Ports this process has handed out: a port is never handed out twice in one process. */
const handedOut = new Set<number>();

/**
 * Each vitest worker takes ports from its own block, keyed by VITEST_POOL_ID (1 to maxWorkers,
 * unique among the workers running at one time): `handedOut` only knows this process, and two
 * test files running at once in two workers would otherwise both be offered the same port by
 * the kernel. The blocks lie below Linux's ephemeral range (32768 and up), so nothing that binds
 * port 0 or connects out can take a port between our check and the tool binding it.
 */
const FIRST_PORT = 12_000;
const BLOCK_SIZE = 2_000;
const BLOCKS = 10;

function blockOf(poolId: number): { first: number; size: number } {
  const index = (Number.isInteger(poolId) && poolId > 0 ? poolId - 1 : 0) % BLOCKS;
  return { first: FIRST_PORT + index * BLOCK_SIZE, size: BLOCK_SIZE };
}

const block = blockOf(Number(process.env['VITEST_POOL_ID'] ?? '1'));
/** Where this process starts in its block: chosen at random, so the next file in the same worker starts elsewhere. */
let cursor = Math.floor(Math.random() * block.size);

/** Whether `port` can be bound on 127.0.0.1 now (then released at once). */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * A free loopback port from this worker's block, checked by binding it and released at once
 * for the tool under test to take. Never the same port twice in one process: a config naming
 * a port twice is refused ("a duplicate default server", CI run 13). A port someone else holds
 * (the machine is shared) fails the bind and is passed over.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < block.size; attempt++) {
    const port = block.first + (cursor++ % block.size);
    if (handedOut.has(port)) continue;
    if (await bindable(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free loopback port left in ${block.first}-${block.first + block.size - 1} (VITEST_POOL_ID ${process.env['VITEST_POOL_ID'] ?? 'unset'})`);
}

/** The block of ports `freePort` uses in the worker with this VITEST_POOL_ID (for tests of it). */
export const portBlockOf = blockOf;
