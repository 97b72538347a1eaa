import { KIND_TRAITS, type NodeKind } from '../../model/kinds/index.js';
import type { LoadBalancerNode, ReverseProxyNode, TopologyNode, VpcNode } from '../../model/types.js';
import { safeParseCidr } from '../../cidr/block.js';
import type { DesignView } from '../design.js';
import { toIdentifier, type NameAllocator } from '../escape.js';
import type { ReportBuilder } from '../report.js';
import { Block, map, str, type Expr } from './hcl.js';

/** What the Terraform writers share while one design renders. */
export interface Context {
  view: DesignView;
  report: ReportBuilder;
  names: NameAllocator;
  main: Block[];
  outputs: Block[];
  /** Variables a writer needs besides the fixed ones (a JWT issuer the design leaves out, a Lambda authorizer's ARN). */
  variables: Block[];
  /** Zone slots in order (index into var.availability_zones): see `zoneSlot`. */
  zones: string[];
  /** AWS-side names already given (load balancers, target groups): they must be unique. */
  awsNames: Set<string>;
  /** Resource names of VPCs whose design CIDR is IPv6 (they need an IPv4 block variable). */
  ipv6Vpcs: string[];
  /** Whether an IPv6 block comes from the IPAM pool variable (an IPv6 VPC or an IPv6 secondary block). */
  ipv6Pool: boolean;
  /** Instance or group id -> the security group resource of its tier. */
  instanceSgs: Map<string, string>;
  /** Kinds that run as EC2 instances of their own (from the exporter's kind table). */
  instanceKinds: ReadonlySet<NodeKind>;
}

/**
 * Whether the node runs as an EC2 instance of its own (a proxy or cache runs its nginx/HAProxy
 * export there) as far as its security groups go. An API gateway is an HTTP API instead, whose
 * VPC link carries the gateway's groups: see `hasInstance` for whether `aws_instance` exists.
 */
export function runsAsInstance(ctx: Context, node: TopologyNode): boolean {
  return ctx.instanceKinds.has(node.kind);
}

/** A reverse proxy with a `gateway` block: written as an AWS API Gateway HTTP API (apigateway.ts), not an instance. */
export function isApiGateway(node: TopologyNode): node is ReverseProxyNode & { gateway: NonNullable<ReverseProxyNode['gateway']> } {
  return node.kind === 'reverse-proxy' && node.gateway !== undefined;
}

/** Whether an `aws_instance` is written for the node (a balancer can attach it, a route or record can name it). */
export function hasInstance(ctx: Context, node: TopologyNode): boolean {
  return runsAsInstance(ctx, node) && !isApiGateway(node);
}

/** Terraform resource names in snake case (letters, digits, `_`, starting with a letter); unique per design id. */
export function rname(ctx: Context, id: string): string {
  return ctx.names.name(id, toIdentifier(id, /[A-Za-z0-9_]/));
}

/** `Name` from the design's name (or id), then the node's own tags; all values escaped. */
export function tags(ctx: Context, node: TopologyNode, depth: number): Expr {
  const entries: [string, Expr][] = [['Name', str(node.name ?? node.id)]];
  for (const [key, value] of Object.entries(node.tags ?? {})) if (key !== 'Name') entries.push([key, str(value)]);
  entries.push(['topolab-id', str(node.id)]);
  return map(entries, depth);
}

export function output(name: string, value: Expr, description: string): Block {
  return new Block('output', [name]).attr('description', str(description)).attr('value', value);
}

/**
 * The zone slot of a subnet: its zone's name, or (for a subnet that names no zone, which may
 * go in any zone) a slot of its own, so two such subnets never land in one zone by accident.
 */
export function zoneSlot(subnet: { id: string; zone?: string | undefined }): string {
  return subnet.zone ?? `\u0000${subnet.id}`;
}

/** Index of a subnet's zone slot in var.availability_zones. */
export function zoneIndex(ctx: Context, subnet: { id: string; zone?: string | undefined }): number {
  return ctx.zones.indexOf(zoneSlot(subnet));
}

/** Whether a node is marked internet-facing and its kind is one the internet reaches only so marked (balancers, reverse proxies, caches). */
export function facesInternet(node: TopologyNode): boolean {
  return KIND_TRAITS[node.kind].internet === 'when-facing' && 'internetFacing' in node && node.internetFacing === true;
}

/** Whether the VPC's design block is IPv6. */
export function isIpv6(vpc: VpcNode): boolean {
  const parsed = safeParseCidr(vpc.cidr);
  return parsed.ok && parsed.block.version === 6;
}

/** The balancers that send traffic to a node. */
export function balancersOf(ctx: Context, id: string): LoadBalancerNode[] {
  return ctx.view.index.edgesTo(id).flatMap((e) => {
    const lb = ctx.view.index.nodeOfKind(e.from, 'load-balancer');
    return lb ? [lb] : [];
  });
}

/** An AWS resource name: letters, digits and hyphens, at most `max` characters, no leading/trailing hyphen. */
export function awsName(text: string, max: number): string {
  const cleaned = text.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max).replace(/-+$/g, '');
  return cleaned.length > 0 ? cleaned : 'topolab';
}

/** `awsName`, made unique among the names given so far (truncation can make two ids collide). */
export function uniqueAwsName(ctx: Context, text: string, max: number): string {
  const base = awsName(text, max);
  let name = base;
  for (let n = 2; ctx.awsNames.has(name); n++) name = `${base.slice(0, max - String(n).length - 1).replace(/-+$/g, '')}-${n}`;
  ctx.awsNames.add(name);
  return name;
}

/** `value` bounded to `lo..hi`. */
export function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}
