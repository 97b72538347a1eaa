import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { createService, type TopolabService } from '../../../core/api/service.js';
import { parseTopology } from '../../../core/model/load.js';
import type { Topology } from '../../../core/model/types.js';
import { Lab, type LabOptions } from '../../../core/runtime/lab/lab.js';
import { createRealService } from '../../../core/runtime/lab/services.js';
import { acceptsConnectionsAt } from '../../support/net.js';

/** Absolute path of a lab fixture. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/lab/${name}.topolab.json`, import.meta.url));
}

/** A lab fixture, parsed. */
export function fixture(name: string): Topology {
  return parseTopology(readFileSync(fixturePath(name), 'utf8'));
}

/** A lab of real services over a fixture. */
export function realLab(name: string | Topology, options: Partial<LabOptions> = {}): Lab {
  return new Lab(typeof name === 'string' ? fixture(name) : name, { createService: createRealService, ...options });
}

/** Whether something accepts TCP connections at a `http://host:port` URL. */
export const accepts = acceptsConnectionsAt;

/** Counts of this process's handles by kind (servers, sockets, timers, child processes). */
export function handleCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return { servers: counts['TCPServerWrap'] ?? 0, sockets: counts['TCPSocketWrap'] ?? 0, timers: counts['Timeout'] ?? 0, children: counts['ProcessWrap'] ?? 0 };
}

/**
 * Registers an `afterEach` that closes every service the returned factory made during the
 * test (stopping their labs), and returns that factory.
 */
export function servicesClosedAfterEach(): () => TopolabService {
  const services: TopolabService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
  });
  return () => {
    const created = createService();
    services.push(created);
    return created;
  };
}
