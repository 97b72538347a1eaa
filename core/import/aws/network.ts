import { ImportInputError } from '../errors.js';
import type { AwsReadState } from './common.js';
import { eachItem, firstTime, tagRecord } from './common.js';
import { InternetGatewayShape, NatGatewayShape, PeeringShape, SubnetShape, VpcShape } from './shapes.js';

/** VPCs, subnets, internet and NAT gateways, peering connections: describe-vpcs, -subnets, -internet-gateways, -nat-gateways, -vpc-peering-connections. */

/** Whether an association (of a block to a VPC or subnet) still holds: a disassociated block is not the resource's any more. */
const live = (state: { State?: string | undefined } | undefined) => state?.State === undefined || state.State === 'associated' || state.State === 'associating';

/** `Vpcs`: each VPC with its associated secondary IPv4 blocks and its IPv6 blocks. */
export function readVpcs(top: Record<string, unknown>, file: string, state: AwsReadState): void {
  eachItem(top, 'Vpcs', file, VpcShape, (vpc) => {
    if (!firstTime(state, 'vpc', vpc.VpcId)) return;
    const secondary = (vpc.CidrBlockAssociationSet ?? []).filter((a) => a.CidrBlock !== vpc.CidrBlock && live(a.CidrBlockState)).map((a) => a.CidrBlock);
    const ipv6 = (vpc.Ipv6CidrBlockAssociationSet ?? []).filter((a) => live(a.Ipv6CidrBlockState)).flatMap((a) => (a.Ipv6CidrBlock ? [a.Ipv6CidrBlock] : []));
    state.inventory.vpcs.push({ id: vpc.VpcId, cidr: vpc.CidrBlock, secondaryCidrs: secondary, ipv6Cidrs: [...new Set(ipv6)], tags: tagRecord(vpc.Tags) });
  });
}

/** `Subnets`: IPv4 block (absent for an IPv6-only subnet), associated IPv6 block, zone. */
export function readSubnets(top: Record<string, unknown>, file: string, state: AwsReadState): void {
  eachItem(top, 'Subnets', file, SubnetShape, (subnet, path) => {
    if (!firstTime(state, 'subnet', subnet.SubnetId)) return;
    const ipv6 = (subnet.Ipv6CidrBlockAssociationSet ?? []).find((a) => a.Ipv6CidrBlock !== undefined && live(a.Ipv6CidrBlockState))?.Ipv6CidrBlock;
    if (subnet.CidrBlock === undefined && ipv6 === undefined) {
      throw new ImportInputError(file, [...path, 'CidrBlock'], 'missing: a subnet has a CidrBlock, or an associated block in Ipv6CidrBlockAssociationSet when it is IPv6-only');
    }
    state.inventory.subnets.push({
      id: subnet.SubnetId,
      vpcId: subnet.VpcId,
      ...(subnet.CidrBlock !== undefined ? { cidr: subnet.CidrBlock } : {}),
      ...(ipv6 !== undefined ? { ipv6Cidr: ipv6 } : {}),
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
