/**
 * A child process of the floor benchmark (../floor.bench.ts): runs one forwarder in its own
 * process (own event loop, own core), prints its endpoint as one JSON line (an array, as
 * ../proxy-worker.ts does) and serves until SIGTERM. BENCH TOOL ONLY.
 *
 *   raw TARGETS_JSON    the prototype raw-socket + llhttp forwarder (./raw-forwarder.ts)
 *   bare TARGETS_JSON   Node http + undici Pool.dispatch with no lab code (./bare-proxy.ts)
 *
 * TARGETS_JSON is the proxy benchmark's list of `{ nodeId, endpoint }`.
 */
import type { Endpoint, UpstreamTarget } from '../../../core/runtime/services/types.js';
import { startBareProxy } from './bare-proxy.js';
import { RawForwarder } from './raw-forwarder.js';

async function main(): Promise<void> {
  const [role, arg] = process.argv.slice(2);
  const targets = (JSON.parse(arg ?? '[]') as UpstreamTarget[]).map((t) => t.endpoint);
  let endpoint: Endpoint;
  let close: () => Promise<void>;
  if (role === 'raw') {
    const forwarder = new RawForwarder(targets);
    endpoint = await forwarder.listen();
    close = () => forwarder.close();
  } else if (role === 'bare') {
    const bare = await startBareProxy(targets);
    endpoint = bare.endpoint;
    close = bare.close;
  } else {
    throw new Error(`unknown role ${String(role)}`);
  }
  process.stdout.write(JSON.stringify([endpoint]) + '\n');
  const stop = (): void => void close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
