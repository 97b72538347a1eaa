import { ImportInputError } from '../errors.js';
import type { AwsReadState } from './common.js';

/** Describe outputs of resources the format has no kind for: `[id field, why]` by top-level key. */
export const UNMODELLED: Record<string, readonly [type: string, idField: string, reason: string]> = {
  VpcEndpoints: ['VpcEndpoint', 'VpcEndpointId', 'VPC endpoints are not modelled'],
  TransitGateways: ['TransitGateway', 'TransitGatewayId', 'transit gateways are not modelled'],
  TransitGatewayAttachments: ['TransitGatewayAttachment', 'TransitGatewayAttachmentId', 'transit gateways are not modelled'],
  TransitGatewayRouteTables: ['TransitGatewayRouteTable', 'TransitGatewayRouteTableId', 'transit gateways are not modelled'],
  VpnGateways: ['VpnGateway', 'VpnGatewayId', 'VPN gateways are not modelled'],
  VpnConnections: ['VpnConnection', 'VpnConnectionId', 'VPN connections are not modelled'],
  CustomerGateways: ['CustomerGateway', 'CustomerGatewayId', 'customer gateways are not modelled'],
  EgressOnlyInternetGateways: ['EgressOnlyInternetGateway', 'EgressOnlyInternetGatewayId', 'the format has no egress-only internet gateway (outbound-only IPv6 to the internet); routes to it are listed too'],
  PrefixLists: ['PrefixList', 'PrefixListId', 'prefix lists are not modelled'],
  ManagedPrefixLists: ['ManagedPrefixList', 'PrefixListId', 'prefix lists are not modelled'],
  NetworkInterfaces: ['NetworkInterface', 'NetworkInterfaceId', 'network interfaces are not modelled apart from their instances'],
  Addresses: ['Address', 'PublicIp', 'elastic addresses are not modelled (public addresses are implied by public subnets)'],
  DhcpOptions: ['DhcpOptions', 'DhcpOptionsId', 'DHCP options are not modelled'],
  FlowLogs: ['FlowLog', 'FlowLogId', 'flow logs are not modelled'],
  CarrierGateways: ['CarrierGateway', 'CarrierGatewayId', 'carrier gateways are not modelled'],
  LocalGateways: ['LocalGateway', 'LocalGatewayId', 'local gateways are not modelled'],
};

/** Reads a recognised but unmodelled describe output: each item goes into `ignored`, with its id. */
export function readUnmodelled(top: Record<string, unknown>, key: string, file: string, state: AwsReadState): void {
  const entry = UNMODELLED[key];
  const list = top[key];
  if (!entry) return;
  if (!Array.isArray(list)) throw new ImportInputError(file, [key], `expected an array, got ${list === null ? 'null' : typeof list}`);
  const [type, idField, reason] = entry;
  list.forEach((item, i) => {
    const id = item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[idField] : undefined;
    if (typeof id !== 'string') throw new ImportInputError(file, [key, i, idField], 'expected a string id');
    state.inventory.ignored.push({ type, id, reason });
  });
}
