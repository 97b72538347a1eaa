/**
 * A child process of the proxy benchmark (test/bench/proxy.bench.ts): runs one side of the
 * measurement in its own process (own event loop, own core), prints its endpoint(s) as one
 * JSON line and serves until SIGTERM.
 *
 *   backends N        N built-in backends
 *   l7 TARGETS_JSON   the L7 balancer in front of the targets
 *   l4 TARGETS_JSON   the L4 balancer in front of the targets
 *   l7tls TARGETS_JSON CERT KEY   the L7 balancer with an HTTPS listener (that certificate); prints [plain, https]
 */
import { readFileSync } from 'node:fs';
import { Backend } from '../../core/runtime/services/backend.js';
import { L4Balancer } from '../../core/runtime/services/l4-balancer.js';
import { L7Balancer } from '../../core/runtime/services/l7-balancer.js';
import type { Endpoint, LabService, UpstreamTarget } from '../../core/runtime/services/types.js';

async function main(): Promise<void> {
  const [role, arg] = process.argv.slice(2);
  const services: LabService[] = [];
  const endpoints: Endpoint[] = [];
  if (role === 'backends') {
    for (let i = 1; i <= Number(arg ?? '2'); i += 1) services.push(new Backend({ nodeId: `b${i}`, designedAddress: `10.0.1.${10 + i}:80` }));
  } else if (role === 'l7tls') {
    const [certFile, keyFile] = process.argv.slice(4);
    const certificates = [{ host: 'bench.example', certPem: readFileSync(certFile ?? '', 'utf8'), keyPem: readFileSync(keyFile ?? '', 'utf8') }];
    const balancer = new L7Balancer({ nodeId: 'lb', targets: JSON.parse(arg ?? '[]') as UpstreamTarget[], tls: { certificates, designedPort: 443 } });
    endpoints.push(await balancer.start(), balancer.tlsEndpoint() as Endpoint);
    services.push(balancer);
    process.stdout.write(JSON.stringify(endpoints) + '\n');
    process.on('SIGTERM', () => void balancer.stop().then(() => process.exit(0)));
    return;
  } else if (role === 'l7' || role === 'l4') {
    const targets = JSON.parse(arg ?? '[]') as UpstreamTarget[];
    services.push(role === 'l7' ? new L7Balancer({ nodeId: 'lb', targets }) : new L4Balancer({ nodeId: 'nlb', targets }));
  } else {
    throw new Error(`unknown role ${String(role)}`);
  }
  for (const service of services) endpoints.push(await service.start());
  process.stdout.write(JSON.stringify(endpoints) + '\n');
  const stop = async (): Promise<void> => {
    await Promise.all(services.map((s) => s.stop()));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

void main();
