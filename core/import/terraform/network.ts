import { terraformNodeId } from '../ids.js';
import { bool, cidrAt, link, str, tagsOf, type TfReader } from './common.js';

/** aws_vpc (+ secondary blocks), aws_subnet, aws_internet_gateway, aws_nat_gateway, aws_vpc_peering_connection (aws_eip: see index.ts). */

export const readVpc: TfReader = (r, state) => {
  const id = terraformNodeId(r.address);
  const cidr = cidrAt(state, r, ['cidr_block'], 4);
  const ipv6 = cidrAt(state, r, ['ipv6_cidr_block'], 6);
  if (cidr === undefined && ipv6 === undefined) {
    state.inventory.ignored.push({ type: r.type, id, reason: 'no cidr_block known before apply (an IPAM pool?): the format needs the block' });
    return;
  }
  if (cidr === undefined) state.inventory.ignored.push({ type: r.type, id, reason: `its IPv4 block is not known before apply (an IPAM pool?): imported with its IPv6 block ${ipv6} only` });
  if (ipv6 === undefined && (bool(r, 'assign_generated_ipv6_cidr_block') === true || str(r, 'ipv6_ipam_pool_id') !== undefined)) {
    state.inventory.ignored.push({ type: r.type, id: `${id} ipv6_cidr_block`, reason: 'the IPv6 block AWS (or the IPAM pool) assigns at apply is not known before apply: the VPC is imported without it' });
  }
  state.inventory.vpcs.push({ id, ...(cidr !== undefined ? { cidr } : {}), secondaryCidrs: [], ipv6Cidrs: ipv6 !== undefined ? [ipv6] : [], tags: tagsOf(r) });
};

export const readVpcCidr: TfReader = (r, state) => {
  const vpcId = link(state, r, ['vpc_id']);
  const cidr = cidrAt(state, r, ['cidr_block'], 4);
  const vpc = state.inventory.vpcs.find((v) => v.id === vpcId);
  if (vpc && cidr) vpc.secondaryCidrs.push(cidr);
  else state.inventory.ignored.push({ type: r.type, id: terraformNodeId(r.address), reason: vpc ? 'no cidr_block known before apply' : 'its VPC is not in the document' });
};

export const readVpcIpv6Cidr: TfReader = (r, state) => {
  const vpcId = link(state, r, ['vpc_id']);
  const cidr = cidrAt(state, r, ['ipv6_cidr_block'], 6);
  const vpc = state.inventory.vpcs.find((v) => v.id === vpcId);
  if (vpc && cidr) {
    if (!vpc.ipv6Cidrs.includes(cidr)) vpc.ipv6Cidrs.push(cidr);
  } else state.inventory.ignored.push({ type: r.type, id: terraformNodeId(r.address), reason: vpc ? 'no ipv6_cidr_block known before apply (assigned by AWS or an IPAM pool)' : 'its VPC is not in the document' });
};

export const readSubnet: TfReader = (r, state) => {
  const id = terraformNodeId(r.address);
  const cidr = cidrAt(state, r, ['cidr_block'], 4);
  const ipv6 = cidrAt(state, r, ['ipv6_cidr_block'], 6);
  const vpcId = link(state, r, ['vpc_id']);
  if ((cidr === undefined && ipv6 === undefined) || vpcId === undefined) {
    state.inventory.ignored.push({ type: r.type, id, reason: vpcId !== undefined ? 'no cidr_block or ipv6_cidr_block known before apply' : 'its VPC is unknown' });
    return;
  }
  const zone = str(r, 'availability_zone');
  state.inventory.subnets.push({ id, vpcId, ...(cidr !== undefined ? { cidr } : {}), ...(ipv6 !== undefined ? { ipv6Cidr: ipv6 } : {}), ...(zone ? { zone } : {}), tags: tagsOf(r) });
};

export const readInternetGateway: TfReader = (r, state) => {
  const vpcId = link(state, r, ['vpc_id']);
  if (vpcId === undefined) state.inventory.ignored.push({ type: r.type, id: terraformNodeId(r.address), reason: 'not attached to a VPC' });
  else state.inventory.internetGateways.push({ id: terraformNodeId(r.address), vpcId, tags: tagsOf(r) });
};

export const readNatGateway: TfReader = (r, state) => {
  const subnetId = link(state, r, ['subnet_id']);
  if (subnetId === undefined) {
    state.inventory.ignored.push({ type: r.type, id: terraformNodeId(r.address), reason: 'its subnet is unknown' });
    return;
  }
  if (str(r, 'connectivity_type') === 'private') {
    state.inventory.ignored.push({ type: r.type, id: terraformNodeId(r.address), reason: 'a private NAT gateway (no internet access): the format has public NAT gateways only' });
    return;
  }
  const ip = str(r, 'private_ip');
  state.inventory.natGateways.push({ id: terraformNodeId(r.address), subnetId, ...(ip ? { privateIp: ip } : {}), tags: tagsOf(r) });
};

export const readPeering: TfReader = (r, state) => {
  const requester = link(state, r, ['vpc_id']);
  const accepter = link(state, r, ['peer_vpc_id']);
  if (requester === undefined || accepter === undefined) {
    state.inventory.ignored.push({ type: r.type, id: terraformNodeId(r.address), reason: 'one of its VPCs is unknown' });
    return;
  }
  const region = str(r, 'peer_region');
  state.inventory.peerings.push({ id: terraformNodeId(r.address), requester: { vpcId: requester }, accepter: { vpcId: accepter, ...(region ? { region } : {}) }, tags: tagsOf(r) });
};
