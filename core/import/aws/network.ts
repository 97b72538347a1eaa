import type { AwsReadState } from './common.js';
import { eachItem, firstTime, tagRecord } from './common.js';
import { InternetGatewayShape, NatGatewayShape, PeeringShape, SubnetShape, VpcShape } from './shapes.js';

/** VPCs, subnets, internet and NAT gateways, peering connections: describe-vpcs, -subnets, -internet-gateways, -nat-gateways, -vpc-peering-connections. */

/** `Vpcs`: each VPC with its associated secondary IPv4 blocks (a disassociated block is not the VPC's any more). */
export function readVpcs(top: Record<string, unknown>, file: string, state: AwsReadState): void {
  eachItem(top, 'Vpcs', file, VpcShape, (vpc) => {
    if (!firstTime(state, 'vpc', vpc.VpcId)) return;
    const live = (s: string | undefined) => s === undefined || s === 'associated' || s === 'associating';
    const secondary = (vpc.CidrBlockAssociationSet ?? []).filter((a) => a.CidrBlock !== vpc.CidrBlock && live(a.CidrBlockState?.State)).map((a) => a.CidrBlock);
    for (const v6 of vpc.Ipv6CidrBlockAssociationSet ?? []) {
      if (v6.Ipv6CidrBlock) state.inventory.ignored.push({ type: 'Ipv6CidrBlock', id: `${vpc.VpcId} ${v6.Ipv6CidrBlock}`, reason: 'an IPv6 block AWS assigned to the VPC: import reads IPv4 VPC blocks only' });
    }
    state.inventory.vpcs.push({ id: vpc.VpcId, cidr: vpc.CidrBlock, secondaryCidrs: secondary, tags: tagRecord(vpc.Tags) });
  });
}

/** `Subnets`: CIDR and zone. */
export function readSubnets(top: Record<string, unknown>, file: string, state: AwsReadState): void {
  eachItem(top, 'Subnets', file, SubnetShape, (subnet) => {
    if (!firstTime(state, 'subnet', subnet.SubnetId)) return;
    state.inventory.subnets.push({
      id: subnet.SubnetId,
      vpcId: subnet.VpcId,
      cidr: subnet.CidrBlock,
      ...(subnet.AvailabilityZone ? { zone: subnet.AvailabilityZone } : {}),
      tags: tagRecord(subnet.Tags),
    });
  });
}

/** `InternetGateways`: one per attached VPC; a detached gateway carries no traffic and is ignored. */
export function readInternetGateways(top: Record<string, unknown>, file: string, state: AwsReadState): void {
  eachItem(top, 'InternetGateways', file, InternetGatewayShape, (igw) => {
    if (!firstTime(state, 'igw', igw.InternetGatewayId)) return;
    const attached = igw.Attachments.filter((a) => a.State === undefined || a.State === 'available' || a.State === 'attached');
    const first = attached[0];
    if (!first) {
      state.inventory.ignored.push({ type: 'InternetGateway', id: igw.InternetGatewayId, reason: 'not attached to any VPC' });
      return;
    }
    state.inventory.internetGateways.push({ id: igw.InternetGatewayId, vpcId: first.VpcId, tags: tagRecord(igw.Tags) });
  });
}

/** `NatGateways`: public gateways that are up, with their primary private address. */
export function readNatGateways(top: Record<string, unknown>, file: string, state: AwsReadState): void {
  eachItem(top, 'NatGateways', file, NatGatewayShape, (nat) => {
    if (!firstTime(state, 'nat', nat.NatGatewayId)) return;
    if (nat.State && !['available', 'pending'].includes(nat.State)) {
      state.inventory.ignored.push({ type: 'NatGateway', id: nat.NatGatewayId, reason: `state "${nat.State}": it forwards nothing` });
      return;
    }
    if (nat.ConnectivityType === 'private') {
      state.inventory.ignored.push({ type: 'NatGateway', id: nat.NatGatewayId, reason: 'a private NAT gateway (no internet access): the format has public NAT gateways only' });
      return;
    }
    const address = nat.NatGatewayAddresses.find((a) => a.IsPrimary) ?? nat.NatGatewayAddresses[0];
    state.inventory.natGateways.push({ id: nat.NatGatewayId, subnetId: nat.SubnetId, ...(address?.PrivateIp ? { privateIp: address.PrivateIp } : {}), tags: tagRecord(nat.Tags) });
  });
}

/** `VpcPeeringConnections`: active connections; the others carry no traffic. */
export function readPeerings(top: Record<string, unknown>, file: string, state: AwsReadState): void {
  eachItem(top, 'VpcPeeringConnections', file, PeeringShape, (pcx) => {
    if (!firstTime(state, 'pcx', pcx.VpcPeeringConnectionId)) return;
    const code = pcx.Status?.Code;
    if (code !== undefined && code !== 'active') {
      state.inventory.ignored.push({ type: 'VpcPeeringConnection', id: pcx.VpcPeeringConnectionId, reason: `status "${code}": only an active connection carries traffic` });
      return;
    }
    const side = (info: typeof pcx.RequesterVpcInfo) => ({ vpcId: info.VpcId, ...(info.CidrBlock ? { cidr: info.CidrBlock } : {}), ...(info.Region ? { region: info.Region } : {}) });
    state.inventory.peerings.push({ id: pcx.VpcPeeringConnectionId, requester: side(pcx.RequesterVpcInfo), accepter: side(pcx.AccepterVpcInfo), tags: tagRecord(pcx.Tags) });
  });
}
