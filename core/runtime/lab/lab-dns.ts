/**
 * The lab's DNS as the lab uses it: one server for the design's zones, a stub resolver per
 * client (its cache lives as long as the lab, like a host's resolver cache), and the map from
 * answered addresses to the lab services listening at them.
 */
import { resolveAddresses } from '../../model/addresses.js';
import { normalizeDomainName } from '../../model/dns-names.js';
import { TopologyIndex } from '../../model/queries.js';
import type { Topology } from '../../model/types.js';
import { DnsService, type DnsMetrics } from '../dns/service.js';
import type { DnsHealthChange } from '../dns/state.js';
import type { StubAnswer, StubResolver } from '../dns/stub.js';
import type { ZoneSpec } from '../../routing/dns/zone.js';
import type { LoadCandidate } from '../load/types.js';
import type { ConnectGate, Endpoint } from '../services/types.js';
import { dnsClientLocator, isDesignName, planDnsZones } from '../../routing/dns/plan.js';
import type { DesignedAddress } from './plan-types.js';

/** A running service as the DNS part sees it. */
export interface DnsHostService {
  id: string;
  address: DesignedAddress;
  /** The loopback endpoint (kept while stopped, so a connection is refused as it would be). */
  endpoint?: Endpoint;
}

/** What the lab gives its DNS part. */
export interface LabDnsHost {
  services: () => Iterable<DnsHostService>;
  gate: () => ConnectGate;
  onHealthChange: (change: DnsHealthChange) => void;
}

/** A DNS name to send traffic to, with its port (`www.shop.example:8080`; default 80). */
export interface DnsTarget {
  name: string;
  port: number;
}

/** The lab's DNS service and the clients' resolvers. */
export class LabDns {
  readonly zones: ZoneSpec[];
  private readonly service: DnsService;
  private readonly resolvers = new Map<string, StubResolver>();
  /** `service|name` -> the nodes a forwarder's DNS upstream resolved to, and the timer that resolves it again. */
  private readonly upstreamNames = new Map<string, { nodes: string[]; timer?: NodeJS.Timeout }>();
  private readonly clientAddresses = new Map<string, string>();
  private readonly regions = new Map<string, string>();

  private constructor(topology: Topology, zones: ZoneSpec[], private readonly host: LabDnsHost) {
    this.zones = zones;
    const index = new TopologyIndex(topology);
    for (const [id, address] of resolveAddresses(index)) this.clientAddresses.set(id, address.ip);
    for (const vpc of index.ofKind('vpc')) if (vpc.region !== undefined) this.regions.set(vpc.id, vpc.region);
    this.service = new DnsService({
      zones,
      locate: dnsClientLocator(topology),
      checkEndpoint: (value) => (value.nodeId !== undefined ? this.endpointOfNode(value.nodeId) : this.endpointAt(value.data)?.endpoint),
      onHealthChange: (change) => host.onHealthChange(change),
    });
  }

  /** The DNS part of a lab, or undefined when the design has no zone. */
  static create(topology: Topology, host: LabDnsHost): LabDns | undefined {
    const zones = planDnsZones(topology);
    return zones.length > 0 ? new LabDns(topology, zones, host) : undefined;
  }

  async start(): Promise<void> {
    await this.service.start();
  }

  async stop(): Promise<void> {
    for (const entry of this.upstreamNames.values()) clearTimeout(entry.timer);
    this.upstreamNames.clear();
    this.resolvers.clear();
    await this.service.stop();
  }

  /** Where the server listens and which zones it answers, for the status. */
  status(): { host: string; port: number; zones: string[] } | undefined {
    const endpoint = this.service.endpoint();
    return endpoint ? { ...endpoint, zones: this.zones.map((z) => z.name) } : undefined;
  }

  metrics(): DnsMetrics {
    return this.service.metrics();
  }

  /**
   * Answers a message a kernel lab's resolver at VPC `vpcId`'s base + 2 relayed from the
   * client at `from`: that VPC's private zones and region apply, as with Route 53 Resolver,
   * whatever client subnet the message claims.
   */
  answerRelayed(message: Buffer, transport: 'udp' | 'tcp', from: string, vpcId: string): Buffer | undefined {
    const region = this.regions.get(vpcId);
    return this.service.answerRelayed(message, transport, { address: from, vpcId, ...(region !== undefined ? { region } : {}) });
  }

  /** `NAME` or `NAME:PORT` when NAME is in one of the design's zones; undefined otherwise. */
  target(to: string): DnsTarget | undefined {
    const match = /^(.*?)(?::(\d{1,5}))?$/.exec(to);
    const name = normalizeDomainName(match?.[1] ?? to);
    const port = match?.[2] !== undefined ? Number(match[2]) : 80;
    if (!isDesignName(this.zones, name) || port < 1 || port > 65_535) return undefined;
    return { name, port };
  }

  /** Resolves a name as the node `from` would (the host when `from` is undefined), through its cache. */
  lookup(name: string, from?: string): Promise<StubAnswer> {
    return this.resolverOf(from).lookup(name);
  }

  /**
   * Where each request to a name goes: the answer's addresses in order, each mapped to the lab
   * service listening at that designed address and port. An address no service has, or whose
   * flow the design blocks from `from`, cannot be connected to (the client moves on).
   */
  candidates(target: DnsTarget, from?: string): () => Promise<LoadCandidate[]> {
    return async () => {
      const answer = await this.lookup(target.name, from);
      return answer.addresses.map((address) => this.candidate(address, target.port, from));
    };
  }

  /** The address mapped to its lab URL, or why nothing can be connected to there. */
  candidate(address: string, port: number, from?: string): LoadCandidate {
    const at = this.endpointAt(address, port);
    if (!at) return { address, connectError: this.endpointAt(address) ? 'ECONNREFUSED' : 'EHOSTUNREACH' };
    if (from !== undefined && !this.host.gate()(from, at.nodeId).allowed) return { address, connectError: 'EBLOCKED' };
    return { address, url: `http://${at.endpoint.host}:${at.endpoint.port}` };
  }

  /**
   * Resolves the DNS names among a forwarder's upstreams as that node does, before it starts,
   * and again whenever the answer's TTL runs out (as nginx does with a `resolver` and a
   * variable `proxy_pass`); `changed` is called when a name now points at other nodes.
   */
  async watchUpstreams(serviceId: string, upstreams: readonly string[], changed: () => void): Promise<void> {
    for (const name of upstreams) {
      if (!this.target(name)) continue;
      const key = `${serviceId}|${name}`;
      const resolve = async (): Promise<void> => {
        const previous = this.upstreamNames.get(key);
        let nodes: string[];
        let ttl = 5;
        try {
          const answer = await this.lookup(name, serviceId);
          nodes = answer.addresses.flatMap((address) => this.endpointAt(address)?.nodeId ?? []);
          ttl = answer.ttl;
        } catch {
          // No answer (the server stopped with the lab): keep the last nodes, try again later.
          nodes = previous?.nodes ?? [];
        }
        if (!this.service.endpoint()) return;
        const entry: { nodes: string[]; timer?: NodeJS.Timeout } = { nodes };
        // At least a second between lookups: a TTL of 0 must not become a busy loop.
        entry.timer = setTimeout(() => void resolve(), Math.max(1, ttl) * 1000);
        entry.timer.unref();
        this.upstreamNames.set(key, entry);
        if (previous && previous.nodes.join(',') !== nodes.join(',')) changed();
      };
      await resolve();
    }
  }

  /** The nodes a forwarder's DNS upstream resolves to now (empty when it has no answer). */
  upstreamNodes(serviceId: string, name: string): string[] {
    return this.upstreamNames.get(`${serviceId}|${name}`)?.nodes ?? [];
  }

  /** The service with this designed address (and port, when given). */
  endpointAt(address: string, port?: number): { nodeId: string; endpoint: Endpoint } | undefined {
    const ip = address.toLowerCase();
    for (const service of this.host.services()) {
      if (service.address.ip === ip && (port === undefined || service.address.port === port) && service.endpoint) return { nodeId: service.id, endpoint: service.endpoint };
    }
    return undefined;
  }

  private endpointOfNode(nodeId: string): Endpoint | undefined {
    for (const service of this.host.services()) if (service.id === nodeId) return service.endpoint;
    return undefined;
  }

  private resolverOf(from: string | undefined): StubResolver {
    const key = from ?? '';
    let resolver = this.resolvers.get(key);
    if (!resolver) {
      resolver = this.service.resolver(from !== undefined ? this.clientAddresses.get(from) : undefined);
      this.resolvers.set(key, resolver);
    }
    return resolver;
  }
}

/** The lab URL of the first answered address that accepts a connection (what a single request tries). */
export async function firstReachable(candidates: () => Promise<LoadCandidate[]>): Promise<string> {
  const list = await candidates();
  const first = list.find((c): c is Extract<LoadCandidate, { url: string }> => 'url' in c);
  if (!first) throw new Error(list.length === 0 ? 'the name has no address in the lab\'s DNS' : `no answered address can be connected to: ${list.map((c) => `${c.address} (${'connectError' in c ? c.connectError : 'ok'})`).join(', ')}`);
  return first.url;
}
