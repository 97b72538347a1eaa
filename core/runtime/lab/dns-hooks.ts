/**
 * Where the lab's DNS meets the rest of the lab: the server started with the lab (before
 * any service, so services may resolve names as soon as they run), names resolved as a
 * node resolves them (the forward proxy's lookups), traffic sent to a DNS name, and the
 * DNS names among a forwarder's upstreams, resolved again whenever their TTL runs out.
 */
import type { LoadCandidate } from '../load/types.js';
import type { ResolveName } from '../services/types.js';
import { operationOf, type LabContext } from './context.js';
import { dnsHealthLog } from './dns-events.js';
import { LabError, type ServiceSpec } from './lab-types.js';
import { LabDns, type DnsTarget } from './lab-dns.js';
import { targetOf, targetsOf } from './targets.js';

/** Creates and starts the lab's DNS when the design has zones; undefined otherwise. */
export async function startLabDns(ctx: LabContext): Promise<LabDns | undefined> {
  const dns = LabDns.create(ctx.topology, {
    services: () => [...ctx.running.values()].map((r) => ({ id: r.spec.id, address: r.spec.address, ...(r.endpoint ? { endpoint: r.endpoint } : {}) })),
    gate: () => ctx.requireGate().gate,
    onHealthChange: (change) => {
      const line = dnsHealthLog(change);
      ctx.log(line.level, 'dns', line.message, change.nodeId ?? change.zoneId, line.data);
    },
  });
  await dns?.start();
  return dns;
}

/** Names through the lab's DNS as node `from` asks (its own cache): what the forward proxy resolves with. */
export function resolveNameFor(ctx: LabContext, from: string): ResolveName {
  return async (host) => (ctx.dns ? (await ctx.dns.lookup(host, from)).addresses : []);
}

/** Where traffic to a DNS name goes: a URL to connect to, and the answers to try in order. */
export interface DnsTrafficTarget {
  url: string;
  viaProxyTo?: string;
  candidates?: () => Promise<LoadCandidate[]>;
}

/**
 * Traffic to a DNS name of the design (`to` is no node, `www.shop.example[:port]`): resolved
 * per request as `from` resolves it; through a forward proxy, the proxy resolves it, as it
 * would for a real client. Undefined when `to` is not such a name.
 */
export function dnsTargetOf(ctx: LabContext, options: { from?: string; to: string; via?: string }): DnsTrafficTarget | undefined {
  if (ctx.running.has(options.to) || ctx.groups.has(options.to)) return undefined;
  const dns = ctx.dns;
  const named: DnsTarget | undefined = dns?.target(options.to);
  if (!dns || !named) return undefined;
  if (options.from !== undefined && !ctx.topology.nodes.some((n) => n.id === options.from)) throw new LabError('not-found', `"${options.from}" is not a node of this design`);
  if (options.via !== undefined) {
    const proxied = targetOf(ctx, { to: options.via, ...(options.from !== undefined ? { from: options.from } : {}) });
    return { url: proxied.url, viaProxyTo: `http://${named.name}${named.port === 80 ? '' : `:${named.port}`}` };
  }
  return { url: `http://${named.name}:${named.port}`, candidates: dns.candidates(named, options.from) };
}

/**
 * Resolves the DNS names among a service's upstreams before it starts, and again whenever
 * the TTL runs out; a changed answer re-sends the service its targets.
 */
export async function watchDnsUpstreams(ctx: LabContext, spec: ServiceSpec): Promise<void> {
  await ctx.dns?.watchUpstreams(spec.id, spec.upstreams, () => {
    const running = ctx.running.get(spec.id);
    if (running) operationOf(running, 'setTargets')(targetsOf(ctx, running.spec));
  });
}
