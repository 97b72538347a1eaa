import { terraformNodeId } from '../ids.js';
import { link, str, tagsOf, type TfReader } from './common.js';

/** aws_vpc (+ secondary blocks), aws_subnet, aws_internet_gateway, aws_nat_gateway, aws_vpc_peering_connection (aws_eip: see index.ts). */

export const readVpc: TfReader = (r, state) => {
  const cidr = str(r, 'cidr_block');
  if (cidr === undefined) {
    state.inventory.ignored.push({ type: r.type, id: terraformNodeId(r.address), reason: 'no cidr_block known before apply (an IPAM pool?): the format needs the block' });
    return;
  }
  state.inventory.vpcs.push({ id: terraformNodeId(r.address), cidr, secondaryCidrs: [], tags: tagsOf(r) });
};

export const readVpcCidr: TfReader = (r, state) => {
  const vpcId = link(state, r, ['vpc_id']);
  const cidr = str(r, 'cidr_block');
  const vpc = state.inventory.vpcs.find((v) => v.id === vpcId);
  if (vpc && cidr) vpc.secondaryCidrs.push(cidr);
  else state.inventory.ignored.push({ type: r.type, id: terraformNodeId(r.address), reason: vpc ? 'no cidr_block known before apply' : 'its VPC is not in the document' });
};

export const readSubnet: TfReader = (r, state) => {
  const cidr = str(r, 'cidr_block');
  const vpcId = link(state, r, ['vpc_id']);
  if (cidr === undefined || vpcId === undefined) {
    state.inventory.ignored.push({ type: r.type, id: terraformNodeId(r.address), reason: cidr === undefined ? 'no cidr_block known before apply' : 'its VPC is unknown' });
    return;
  }
  const zone = str(r, 'availability_zone');
  state.inventory.subnets.push({ id: terraformNodeId(r.address), vpcId, cidr, ...(zone ? { zone } : {}), tags: tagsOf(r) });
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
