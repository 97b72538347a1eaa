/**
 * A name resolved from the design alone, as the lab's DNS would answer a client while every
 * value is healthy: what `trace` follows when asked about a name. Pure.
 */
import { resolveAddresses } from '../../model/addresses.js';
import { normalizeDomainName } from '../../model/dns-names.js';
import { TopologyIndex } from '../../model/queries.js';
import type { Topology } from '../../model/types.js';
import { answerQuestion } from './answer.js';
import { dnsClientLocator, isDesignName, planDnsZones } from './plan.js';
import { possibleValues } from './policy.js';
import type { ClientContext } from './zone.js';

/** Every address a name may be answered with for one client. */
export interface DesignNameResolution {
  name: string;
  /** `NOERROR`, `NXDOMAIN`, `REFUSED` (no zone of the design answers it for this client) or `SERVFAIL` (a CNAME loop). */
  rcode: string;
  /** The zone that answered. */
  zoneId?: string;
  /** CNAMEs followed, in order. */
  cnames: string[];
  /** Addresses in answer order, with the node each one names when it names one. */
  addresses: { address: string; nodeId?: string }[];
}

/** Whether `name` is a name of the design's zones (so `trace --to NAME` resolves it). */
export function isDesignDnsName(topology: Topology, name: string): boolean {
  return isDesignName(planDnsZones(topology), name);
}

/** Resolves `name` (type A, then AAAA when A has nothing) as the client `fromNodeId` would be answered. */
export function resolveDesignName(topology: Topology, name: string, fromNodeId?: string): DesignNameResolution {
  const zones = planDnsZones(topology);
  const index = new TopologyIndex(topology);
  const address = fromNodeId !== undefined ? resolveAddresses(index).get(fromNodeId)?.ip : undefined;
  const where = address !== undefined ? dnsClientLocator(topology)(address) : undefined;
  const client: ClientContext = { ...(address !== undefined ? { address } : {}), ...(where?.vpcId !== undefined ? { vpcId: where.vpcId } : {}), ...(where?.region !== undefined ? { region: where.region } : {}) };
  const ask = (type: 'A' | 'AAAA') =>
    answerQuestion(zones, { name: normalizeDomainName(name), type }, {
      client,
      healthy: () => true,
      nextRotation: () => 0,
      random: () => 0,
      choose: (record) => possibleValues(record, client.region),
    });
  let result = ask('A');
  if (result.rcode === 'NOERROR' && !result.answers.some((a) => a.type === 'A')) result = ask('AAAA');
  const cnames = result.answers.filter((a) => a.type === 'CNAME').map((a) => String((a as { data: unknown }).data));
  const nodeOf = new Map<string, string>();
  for (const zone of zones) for (const record of zone.records) for (const v of record.values) if (v.nodeId !== undefined) nodeOf.set(v.data, v.nodeId);
  const addresses = result.answers
    .filter((a) => a.type === 'A' || a.type === 'AAAA')
    .map((a) => String((a as { data: unknown }).data))
    .filter((a, i, all) => all.indexOf(a) === i)
    .map((a) => ({ address: a, ...(nodeOf.has(a) ? { nodeId: nodeOf.get(a) as string } : {}) }));
  return { name: normalizeDomainName(name), rcode: result.rcode, ...(result.zoneId !== undefined ? { zoneId: result.zoneId } : {}), cnames, addresses };
}
