/**
 * A child process of the floor benchmark (../floor.bench.ts): runs one forwarder in its own
 * process (own event loop, own core), prints its endpoint as one JSON line (an array, as
 * ../proxy-worker.ts does) and serves until SIGTERM. BENCH TOOL ONLY.
 *
 *   raw TARGETS_JSON    the prototype raw-socket + llhttp forwarder (./raw-forwarder.ts)
 *   bare TARGETS_JSON   Node http + undici Pool.dispatch with no lab code (./bare-proxy.ts)
 *   raw-tls, bare-tls TARGETS_JSON CERT KEY   the same two serving HTTPS with that certificate
 *   tls-relay TARGETS_JSON CERT KEY   a TLS terminator relaying bytes to the targets (./tls-relay.ts)
 *
 * TARGETS_JSON is the proxy benchmark's list of `{ nodeId, endpoint }`.
 */
import type { Endpoint, UpstreamTarget } from '../../../core/runtime/services/types.js';
import { readFileSync } from 'node:fs';
import { startBareProxy } from './bare-proxy.js';
import { RawForwarder } from './raw-forwarder.js';
import { startTlsRelay } from './tls-relay.js';

async function main(): Promise<void> {
  const [role, arg, certFile, keyFile] = process.argv.slice(2);
  const tls = certFile !== undefined && keyFile !== undefined ? { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') } : undefined;
  const targets = (JSON.parse(arg ?? '[]') as UpstreamTarget[]).map((t) => t.endpoint);
  let endpoint: Endpoint;
  let close: () => Promise<void>;
  if (role === 'raw' || role === 'raw-tls') {
    const forwarder = new RawForwarder(targets, role === 'raw-tls' ? tls : undefined);
    endpoint = await forwarder.listen();
    close = () => forwarder.close();
  } else if (role === 'bare' || role === 'bare-tls') {
    const bare = await startBareProxy(targets, role === 'bare-tls' ? tls : undefined);
    endpoint = bare.endpoint;
    close = bare.close;
  } else if (role === 'tls-relay' && tls !== undefined) {
    const relay = await startTlsRelay(targets, tls.cert, tls.key);
    endpoint = relay.endpoint;
    close = relay.close;
  } else {
    throw new Error(`unknown role ${String(role)}`);
  }
  process.stdout.write(JSON.stringify([endpoint]) + '\n');
  const stop = (): void => void close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
