/**
 * The network an import found, in one shape for every source: the AWS CLI's describe
 * output and Terraform's JSON are both read into this, and one builder (design/) turns it
 * into a design. Ids are the node ids the design will use (AWS ids, or Terraform
 * addresses); every reference between records is such an id.
 */

/** Something the file format cannot express, or an input the import left out, and why. */
export interface Ignored {
  /** The AWS resource type or Terraform resource type (`VpcEndpoint`, `aws_lb_listener_rule`). */
  type: string;
  id: string;
  reason: string;
}

export type Tags = Record<string, string>;

export interface VpcRecord {
  id: string;
  /** The primary IPv4 block; absent only when a plan does not know it before apply. */
  cidr?: string;
  secondaryCidrs: string[];
  /** Associated IPv6 blocks (AWS-assigned, BYOIP or IPAM), in association order. */
  ipv6Cidrs: string[];
  region?: string;
  tags: Tags;
  /** Known only from the other side of a peering connection (not in the imported files). */
  stub?: string;
}

export interface SubnetRecord {
  id: string;
  vpcId: string;
  /** The IPv4 block; absent for an IPv6-only subnet. */
  cidr?: string;
  /** The IPv6 block (a subnet has at most one). */
  ipv6Cidr?: string;
  zone?: string;
  tags: Tags;
}

/** A route's next hop: a modelled node (by id), `local`, `blackhole`, or something the format cannot hold. */
export type RouteTarget = { kind: 'node'; id: string } | { kind: 'local' } | { kind: 'blackhole' } | { kind: 'unmodelled'; type: string; id: string };

export interface RouteRecord {
  destination: string;
  target: RouteTarget;
}

export interface RouteTableRecord {
  id: string;
  vpcId: string;
  main: boolean;
  /** Subnets explicitly associated (never the main association). */
  subnets: string[];
  routes: RouteRecord[];
  tags: Tags;
  /** Made up by the import: the VPC's main table, which the input does not show. */
  implicit?: string;
}

export interface GatewayRecord {
  id: string;
  vpcId: string;
  tags: Tags;
}

export interface NatGatewayRecord {
  id: string;
  subnetId: string;
  privateIp?: string;
  tags: Tags;
}

export interface PeeringRecord {
  id: string;
  requester: { vpcId: string; cidr?: string; region?: string };
  accepter: { vpcId: string; cidr?: string; region?: string };
  tags: Tags;
}

/** One permission of a security group as AWS states it: a protocol, a port range, and any number of peers. */
export interface SgPermission {
  /** `tcp`, `udp`, `icmp`, `icmpv6`, `-1` or a protocol number, as the source wrote it. */
  protocol: string;
  from?: number;
  to?: number;
  cidrs: string[];
  groups: string[];
  prefixLists: string[];
  description?: string;
}

export interface SecurityGroupRecord {
  id: string;
  vpcId: string;
  groupName?: string;
  description?: string;
  isDefault: boolean;
  inbound: SgPermission[];
  outbound: SgPermission[];
  tags: Tags;
}

export interface AclEntry {
  rule: number;
  egress: boolean;
  protocol: string;
  action: string;
  cidr: string;
  from?: number;
  to?: number;
  icmpType?: number;
}

export interface NetworkAclRecord {
  id: string;
  vpcId: string;
  isDefault: boolean;
  subnets: string[];
  entries: AclEntry[];
  tags: Tags;
}

export interface InstanceRecord {
  id: string;
  subnetId: string;
  privateIp?: string;
  /** Its (first) IPv6 address: its address in an IPv6-only subnet. */
  ipv6?: string;
  groups: string[];
  tags: Tags;
  /** The auto-scaling group that launched it, if any. */
  autoscalingGroup?: string;
}

export interface HealthCheckRecord {
  protocol?: string;
  path?: string;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  healthy?: number;
  unhealthy?: number;
  matcher?: string;
  enabled?: boolean;
}

export interface BalancerRecord {
  id: string;
  /** `application`, `network` or `gateway`. */
  type: string;
  internetFacing: boolean;
  subnets: string[];
  groups: string[];
  tags: Tags;
}

export interface TargetRecord {
  /** An instance id, an IP address, or another id the target type uses. */
  id: string;
  port?: number;
}

export interface TargetGroupRecord {
  id: string;
  /** `instance`, `ip`, `lambda` or `alb`. */
  targetType: string;
  port?: number;
  protocol?: string;
  health: HealthCheckRecord;
  balancers: string[];
  targets: TargetRecord[];
  tags: Tags;
}

export interface ListenerRecord {
  id: string;
  balancer: string;
  port?: number;
  targetGroups: string[];
}

export interface AutoscalingGroupRecord {
  id: string;
  min: number;
  max: number;
  desired?: number;
  subnets: string[];
  targetGroups: string[];
  instances: string[];
  groups: string[];
  tags: Tags;
}

/** Everything an import read, before it becomes a design. */
export interface Inventory {
  vpcs: VpcRecord[];
  subnets: SubnetRecord[];
  routeTables: RouteTableRecord[];
  internetGateways: GatewayRecord[];
  natGateways: NatGatewayRecord[];
  peerings: PeeringRecord[];
  securityGroups: SecurityGroupRecord[];
  networkAcls: NetworkAclRecord[];
  instances: InstanceRecord[];
  balancers: BalancerRecord[];
  targetGroups: TargetGroupRecord[];
  listeners: ListenerRecord[];
  autoscalingGroups: AutoscalingGroupRecord[];
  ignored: Ignored[];
}

/** An inventory with nothing in it. */
export function emptyInventory(): Inventory {
  return {
    vpcs: [],
    subnets: [],
    routeTables: [],
    internetGateways: [],
    natGateways: [],
    peerings: [],
    securityGroups: [],
    networkAcls: [],
    instances: [],
    balancers: [],
    targetGroups: [],
    listeners: [],
    autoscalingGroups: [],
    ignored: [],
  };
}
