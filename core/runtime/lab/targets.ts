/**
 * Where the lab's traffic and forwarders go: the resolver the forward proxy asks, the
 * target lists of forwarding services (nodes, and the ready instances of groups), the
 * entry of a load run or a request, and why a forwarder may not reach a node.
 */
import type { GateBlock, LabResolver, UpstreamTarget } from '../services/types.js';
import { formatAddress } from './address.js';
import { normalizeDomainName } from '../../model/dns-names.js';
import { upstreamServerName } from '../../model/tls-hosts.js';
import type { TargetTls } from '../http/upstream-tls.js';
import { operationOf, urlOf, type LabContext, type Running } from './context.js';
import { LabError, type ServiceSpec } from './lab-types.js';

/** Why a forwarder in front of a node may not reach it, as its state shows it (`lb: blocked by ...`). */
export function routingBlock(ctx: LabContext, spec: ServiceSpec): string | undefined {
  for (const forwarder of ctx.running.values()) {
    if (!forwarder.spec.upstreams.some((id) => id === spec.id || id === spec.group)) continue;
    const verdict = ctx.requireGate().gate(forwarder.spec.id, spec.id);
    if (!verdict.allowed) return `${forwarder.spec.id}: blocked by ${verdict.blockedBy}: ${verdict.reason}`;
  }
  return undefined;
}

/** Designed address, node id or name -> running service, for the forward proxy. */
export function createResolver(ctx: LabContext): LabResolver {
  return (host, port) => {
    const name = host.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
    for (const running of ctx.running.values()) {
      if (!running.endpoint || running.spec.role === 'forward-proxy') continue;
      const { ip, port: designedPort } = running.spec.address;
      const byAddress = ip === name && port === designedPort;
      const byName = running.spec.id.toLowerCase() === name && (port === designedPort || port === 80);
      if (byAddress || byName) return { nodeId: running.spec.id, endpoint: running.endpoint };
    }
    // The node exists, but not on this port: the proxy answers "connection refused" itself.
    for (const running of ctx.running.values()) {
      if (running.spec.address.ip === name || running.spec.id.toLowerCase() === name) return { nodeId: running.spec.id, listensOn: running.spec.address.port };
    }
    return undefined;
  };
}

/**
 * Whether the design refuses a request's first leg, from `from` (a node of the design) to
 * its entry (the forward proxy `via`, else `to`), as the lab's gate traces it in the design
 * as it runs now (faults and live edits included): the refusal, or `undefined` when allowed
 * or when no `from` is given (the request enters from outside the design).
 */
export function entryBlock(ctx: LabContext, options: { from?: string; to: string; via?: string }): (GateBlock & { from: string; to: string }) | undefined {
  if (options.from === undefined) return undefined;
  if (!ctx.topology.nodes.some((n) => n.id === options.from)) throw new LabError('not-found', `"${options.from}" is not a node of this design`);
  const entry = options.via ?? options.to;
  const verdict = ctx.requireGate().gate(options.from, entry);
  return verdict.allowed ? undefined : { from: options.from, to: entry, blockedBy: verdict.blockedBy, code: verdict.code, reason: verdict.reason };
}

/** `user cannot reach web1 in the design: blocked by private (no-route): ...`, the lab's words for a refused first leg. */
export function refusalText(block: GateBlock & { from: string; to: string }): string {
  return `${block.from} cannot reach ${block.to} in the design: blocked by ${block.blockedBy} (${block.code}): ${block.reason}`;
}

/** The URL a load run or request connects to (and the proxy's absolute-form target), after the design's routing allowed it. */
export function targetOf(ctx: LabContext, options: { from?: string; to: string; via?: string }): { url: string; viaProxyTo?: string; address?: string } {
  const to = runningTarget(ctx, options.to);
  const block = entryBlock(ctx, options);
  if (block) throw new LabError('blocked', refusalText(block), block);
  if (options.via !== undefined) {
    const proxy = ctx.running.get(options.via);
    if (!proxy || proxy.spec.role !== 'forward-proxy') throw new LabError('bad-input', `"${options.via}" is not a running forward proxy`);
    if (!proxy.endpoint) throw new LabError('not-running', `forward proxy "${options.via}" has no port`);
    return { url: urlOf(proxy.endpoint), viaProxyTo: `http://${formatAddress(to.spec.address)}` };
  }
  if (!to.endpoint) throw new LabError('not-running', `"${options.to}" has no port`);
  return { url: urlOf(to.endpoint), address: to.spec.address.ip };
}

/** The running node a request or load run is sent to; refused (`LabError`) for a group or an unknown id. */
export function runningTarget(ctx: LabContext, id: string): NonNullable<ReturnType<LabContext['running']['get']>> {
  const to = ctx.running.get(id);
  if (to) return to;
  if (ctx.groups.has(id)) throw new LabError('bad-input', `"${id}" is an auto-scaling group: send to the balancer in front of it`);
  throw new LabError('not-found', `"${id}" is not a running node of this lab`);
}

/** The upstream targets of a forwarding service: nodes, the ready instances of groups, and what DNS names resolve to. */
export function targetsOf(ctx: LabContext, spec: ServiceSpec): UpstreamTarget[] {
  const out: UpstreamTarget[] = [];
  for (const id of spec.upstreams) {
    const named = dnsUpstreamTargets(ctx, spec.id, id);
    if (named) {
      out.push(...named);
      continue;
    }
    const group = ctx.groups.get(id);
    const ids = group ? group.ready : [id];
    for (const targetId of ids) {
      const running = ctx.running.get(targetId);
      if (!running?.endpoint) continue;
      const weight = running.spec.backend?.weight;
      out.push({ nodeId: targetId, endpoint: running.endpoint, ...(weight !== undefined ? { weight } : {}), ...(group ? { group: id } : {}), ...targetTlsOf(running) });
    }
  }
  return out;
}

/** Re-sends target lists to every forwarder that uses `upstreamId` (after scaling). */
export function refreshTargets(ctx: LabContext, upstreamId: string): void {
  for (const running of ctx.running.values()) {
    if (!running.spec.upstreams.includes(upstreamId)) continue;
    operationOf(running, 'setTargets')(targetsOf(ctx, running.spec));
  }
}

/**
 * The targets a DNS name among a forwarder's upstreams stands for: the running nodes its
 * last answer named (lab-dns.ts resolves it again per its TTL), as a group stands for its
 * instances. Undefined when `id` is not a DNS name of the design.
 */
function dnsUpstreamTargets(ctx: LabContext, serviceId: string, id: string): UpstreamTarget[] | undefined {
  const dns = ctx.dns;
  if (!dns || ctx.groups.has(id) || ctx.running.has(id) || !dns.target(id)) return undefined;
  const out: UpstreamTarget[] = [];
  for (const nodeId of dns.upstreamNodes(serviceId, id)) {
    const running = ctx.running.get(nodeId);
    // Named by a DNS name, the upstream is reached by that name: it is the SNI sent and verified.
    if (running?.endpoint) out.push({ nodeId, endpoint: running.endpoint, group: id, ...targetTlsOf(running, id) });
  }
  return out;
}

/**
 * A target's HTTPS listener and the name a forwarder with `tls.upstream` sends as SNI:
 * `named` (the DNS name it was reached by) or the node's own certified name
 * (`upstreamServerName`). Nothing for a node without a listener.
 */
function targetTlsOf(running: Running, named?: string): { tls?: TargetTls } {
  const endpoint = running.tlsEndpoint;
  const servername = named !== undefined ? normalizeDomainName(named) : upstreamServerName(running.spec.tls?.hosts ?? [], running.spec.id);
  return endpoint !== undefined && servername !== undefined ? { tls: { endpoint, servername } } : {};
}
