/**
 * The design's `dns-zone` nodes as the lab's DNS server holds them: record names made full,
 * values resolved to addresses (a node's designed address), regions for latency records,
 * and where a client address lies (its VPC and region). Pure.
 */
import { safeParseIp } from '../../cidr/address.js';
import { containsAddress, safeParseCidr } from '../../cidr/block.js';
import { resolveAddresses } from '../../model/addresses.js';
import { dnsRecordName, dnsValueMeaning, regionOf } from '../../model/dns.js';
import { normalizeDomainName } from '../../model/dns-names.js';
import { TopologyIndex } from '../../model/queries.js';
import type { Topology } from '../../model/types.js';
import type { LocateClient, ZoneRecordSet, ZoneSpec, ZoneValue } from './zone.js';

/** Every zone of the design, in file order. Values that mean nothing (the validator's errors) are left out. */
export function planDnsZones(topology: Topology): ZoneSpec[] {
  const index = new TopologyIndex(topology);
  const zones = index.ofKind('dns-zone');
  if (zones.length === 0) return [];
  const addresses = resolveAddresses(index);
  return zones.map((zone) => {
    const vpc = zone.parent === undefined ? undefined : index.nodeOfKind(zone.parent, 'vpc');
    const records: ZoneRecordSet[] = zone.records.map((record) => {
      const values: ZoneValue[] = [];
      record.values.forEach((value, i) => {
        const meaning = dnsValueMeaning(index, addresses, record, value);
        const weight = record.weights?.[i];
        const extra = { ...(weight !== undefined ? { weight } : {}) };
        if (meaning.kind === 'address') {
          const region = meaning.nodeId !== undefined ? regionOf(index, meaning.nodeId) : undefined;
          values.push({ data: meaning.address, ...(meaning.nodeId !== undefined ? { nodeId: meaning.nodeId } : {}), ...(region !== undefined ? { region } : {}), ...extra });
        } else if (meaning.kind === 'name') values.push({ data: meaning.name, ...extra });
        else if (meaning.kind === 'text') values.push({ data: meaning.text, ...extra });
      });
      return { name: dnsRecordName(zone, record), type: record.type, ttl: record.ttl, policy: record.policy, values, ...(record.healthCheck ? { healthCheck: record.healthCheck } : {}) };
    });
    return {
      id: zone.id,
      name: normalizeDomainName(zone.name),
      ...(vpc ? { private: { vpcId: vpc.id, cidrs: [vpc.cidr, ...(vpc.secondaryCidrs ?? [])] } } : {}),
      records,
    };
  });
}

/**
 * Where a client address lies: the VPC of the node with that designed address, else the VPC
 * whose blocks hold it; and that VPC's region. Addresses outside every VPC are the internet.
 */
export function dnsClientLocator(topology: Topology): LocateClient {
  const index = new TopologyIndex(topology);
  const addresses = resolveAddresses(index);
  const byAddress = new Map<string, string>();
  for (const [nodeId, address] of addresses) {
    const vpc = index.vpcOf(nodeId);
    if (vpc) byAddress.set(address.ip, vpc.id);
  }
  const blocks = index.ofKind('vpc').flatMap((vpc) =>
    [vpc.cidr, ...(vpc.secondaryCidrs ?? [])].flatMap((cidr) => {
      const parsed = safeParseCidr(cidr);
      return parsed.ok ? [{ vpcId: vpc.id, block: parsed.block }] : [];
    }),
  );
  return (address) => {
    const ip = safeParseIp(address);
    if (!ip) return undefined;
    const vpcId = byAddress.get(address) ?? blocks.find((b) => b.block.version === ip.version && containsAddress(b.block, ip))?.vpcId;
    if (vpcId === undefined) return undefined;
    const region = index.nodeOfKind(vpcId, 'vpc')?.region;
    return { vpcId, ...(region !== undefined ? { region } : {}) };
  };
}

/** Whether `host` is a name some zone of the design answers for (the zone itself or a name below it). */
export function isDesignName(zones: readonly ZoneSpec[], host: string): boolean {
  const name = normalizeDomainName(host);
  return name.includes('.') && zones.some((z) => name === z.name || name.endsWith(`.${z.name}`));
}
