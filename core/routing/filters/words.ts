import { formatIp, type IpAddress } from '../../cidr/address.js';
import { formatCidr } from '../../cidr/block.js';
import type { Packet } from './evaluate.js';
import { formatPorts, type PortRange } from '../../model/ports.js';
import { sgPeerText, type CompiledAclRule, type CompiledSgRule } from './rules.js';

/** `inbound[0] (tcp 8080 from sg-lb)`: a security group rule as hops and reasons name it. */
export function describeSgRule(rule: CompiledSgRule): string {
  const what = rule.ports ? `${rule.protocol} ${formatPorts(rule.ports)}` : rule.protocol;
  const peer = sgPeerText(rule.rule);
  return `${rule.direction}[${rule.index}] (${what} ${rule.direction === 'inbound' ? 'from' : 'to'} ${peer})`;
}

/** `rule 100 (allow tcp 8080 from 10.0.101.0/24)`. */
export function describeAclRule(rule: CompiledAclRule): string {
  const what = rule.ports ? `${rule.protocol} ${formatPorts(rule.ports)}` : rule.protocol;
  return `rule ${rule.number} (${rule.action} ${what} ${rule.direction === 'inbound' ? 'from' : 'to'} ${formatCidr(rule.block)})`;
}

/** `tcp port 8080`, `tcp ports 32768-60999`, `icmp`. */
export function describeTraffic(packet: Packet): string {
  if (packet.protocol === 'icmp' || !packet.ports) return packet.protocol;
  return `${packet.protocol} ${packet.ports.from === packet.ports.to ? 'port' : 'ports'} ${formatPorts(packet.ports)}`;
}

/** An address for a sentence; an unknown one is "an internet address". */
export function describeAddress(address: IpAddress | undefined): string {
  return address ? formatIp(address) : 'an internet address';
}

/** `32768-60999, 40000-60999` for a list of ranges. */
export function describePortList(ranges: readonly PortRange[]): string {
  return ranges.map(formatPorts).join(', ');
}
