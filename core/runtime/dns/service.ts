/**
 * One DNS service for a lab: the zones' state, the server on loopback and the health
 * checks of record values, started and stopped together.
 */
import { DnsHealthMonitor, type CheckEndpoint } from './health.js';
import type { ClientContext, LocateClient } from '../../routing/dns/zone.js';
import type { DnsMetrics } from '../../api/contract/lab-results.js';
import { DnsServer, type DnsServerLimits } from './server.js';
import { DnsState, type DnsHealthChange } from './state.js';
import { StubResolver } from './stub.js';
import type { ZoneSpec } from '../../routing/dns/zone.js';

/** What a DNS service is built from. */
export interface DnsServiceOptions {
  zones: ZoneSpec[];
  /** Pinned port (default 0). */
  port?: number;
  locate?: LocateClient;
  /** Where health checks of a value connect; without it every checked value fails its checks. */
  checkEndpoint?: CheckEndpoint;
  limits?: Partial<DnsServerLimits>;
  random?: () => number;
  /** Called when a health check flips a value's health. */
  onHealthChange?: (change: DnsHealthChange) => void;
}

/** Server counters and, per zone, queries, answers per value, NXDOMAIN: the contract's shape (core/api/contract/lab-results.ts). */
export type { DnsMetrics } from '../../api/contract/lab-results.js';

/** The lab's DNS: server, state and health checks. */
export class DnsService {
  readonly state: DnsState;
  private readonly server: DnsServer;
  private readonly monitor: DnsHealthMonitor;

  constructor(options: DnsServiceOptions) {
    this.state = new DnsState(options.zones, options.random);
    this.server = new DnsServer({ state: this.state, ...(options.port !== undefined ? { port: options.port } : {}), ...(options.locate ? { locate: options.locate } : {}), ...(options.limits ? { limits: options.limits } : {}) });
    this.monitor = new DnsHealthMonitor(this.state, options.checkEndpoint ?? (() => undefined), (change) => options.onHealthChange?.(change));
  }

  async start(): Promise<{ host: string; port: number }> {
    const endpoint = await this.server.start();
    this.monitor.start();
    return endpoint;
  }

  async stop(): Promise<void> {
    this.monitor.stop();
    await this.server.stop();
  }

  endpoint(): { host: string; port: number } | undefined {
    return this.server.endpoint();
  }

  /** Answers a message relayed by a kernel lab's VPC resolver, for the client it names (DnsServer.answerRelayed). */
  answerRelayed(message: Buffer, transport: 'udp' | 'tcp', client: ClientContext): Buffer | undefined {
    return this.server.answerRelayed(message, transport, client);
  }

  metrics(): DnsMetrics {
    return { server: this.server.counts(), zones: this.state.metrics() };
  }

  /** A new stub resolver (with its own cache) for a client at `clientAddress`. */
  resolver(clientAddress?: string, now?: () => number): StubResolver {
    const endpoint = this.endpoint();
    if (!endpoint) throw new Error("the lab's DNS server is not running");
    return new StubResolver({ server: endpoint, ...(clientAddress !== undefined ? { clientAddress } : {}), ...(now ? { now } : {}) });
  }
}
