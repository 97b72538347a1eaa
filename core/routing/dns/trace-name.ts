import { safeParseIp } from '../../cidr/address.js';
import { TopologyIndex } from '../../model/queries.js';
import type { Topology } from '../../model/types.js';
import { trace } from '../trace.js';
import type { TraceRequest, TraceResult } from '../trace-types.js';
import { isDesignDnsName, resolveDesignName } from './resolve.js';

/**
 * `trace` that also takes a DNS name of the design as `to`: the name is resolved as the lab
 * answers the client `from` (private zones, latency by region, CNAMEs), and every answered
 * address is traced on `port`. A node id or an address is traced as before. Pure.
 */
export function traceTo(topology: Topology, request: TraceRequest): TraceResult {
  const index = new TopologyIndex(topology);
  if (index.node(request.to) || request.to.includes('#') || safeParseIp(request.to) || !isDesignDnsName(topology, request.to)) return trace(topology, request);
  const resolution = resolveDesignName(topology, request.to, request.from);
  const port = request.port ?? 80;
  const answers = resolution.addresses.map(({ address, nodeId }) => {
    const result = trace(topology, { ...request, to: nodeId ?? address, port });
    return { address, ...(nodeId !== undefined ? { nodeId } : {}), verdict: result.verdict, ...(result.blockedBy ? { blockedBy: result.blockedBy } : {}), hops: result.hops };
  });
  const dns = { name: resolution.name, rcode: resolution.rcode, cnames: resolution.cnames, answers };
  if (answers.length === 0) {
    const why = resolution.rcode === 'REFUSED' ? `no zone of the design answers ${resolution.name} for ${request.from} (a private zone answers only its VPC)` : `${resolution.name} has no address (${resolution.rcode})`;
    return { verdict: 'blocked', hops: [], blockedBy: { code: 'dns-no-answer', nodeId: resolution.zoneId ?? request.from, reason: why }, dns };
  }
  const shown = answers.find((a) => a.verdict === 'blocked') ?? answers[0];
  return {
    verdict: answers.every((a) => a.verdict === 'reachable') ? 'reachable' : 'blocked',
    hops: shown?.hops ?? [],
    ...(shown?.blockedBy ? { blockedBy: shown.blockedBy } : {}),
    dns,
  };
}
