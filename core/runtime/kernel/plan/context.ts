import type { CidrBlock } from '../../../cidr/block.js';
import type { AddressPool } from './addressing.js';
import type { NodeKind } from '../../../model/kinds/index.js';

/**
 * What the planners share about one design: where each subnet, VPC, node and link lives in
 * the lab. Built once by ./network.ts; the router, internet and node planners only read it.
 */

/** A subnet as a bridge on its VPC's router. */
export interface SubnetSite {
  id: string;
  vpcId: string;
  block: CidrBlock;
  /** The bridge in the router namespace. */
  bridge: string;
  /** The router's address on it (base + 1 on AWS). */
  gateway: string;
}

/** A point-to-point link between two namespaces, with both ends' addresses. */
export interface LinkSite {
  a: { ns: string; dev: string; v4: string };
  b: { ns: string; dev: string; v4: string };
  prefix: number;
}

/** A VPC as a router namespace. */
export interface VpcSite {
  id: string;
  ns: string;
  blocks: CidrBlock[];
  /** The VPC's resolver address (base + 2 of its primary IPv4 block, as AWS's Route 53 Resolver); absent for an IPv6-only VPC. */
  resolver?: string;
  /** The internet gateway attached to it, and the router's link to the internet (`a` is the router's end). */
  gateway?: { nodeId: string; link: LinkSite };
}

/** A peering as a link between two routers: `vpcs` in file order, `a` the end in the first (which creates the link). */
export interface PeeringSite {
  id: string;
  vpcs: [string, string];
  link: LinkSite;
}

/** A node (or auto-scaling instance) with a namespace of its own. */
export interface HostSite {
  /** The node id, or `group#n` for an instance. */
  id: string;
  /** The design node: the node itself, or the group of an instance. */
  nodeId: string;
  kind: NodeKind;
  ns: string;
  ip: string;
  /** Further addresses: an internet client without a designed address gets IPv4 and IPv6. */
  extra?: string[];
  /** Its subnet, for nodes inside a VPC; absent for internet clients. */
  subnet?: SubnetSite;
  /** The router-side (or internet-side) end of its link. */
  port: string;
  /** Internet clients: the internet side's link addresses. */
  link?: LinkSite;
}

/** Everything placed, by id. */
export interface PlanContext {
  provider: string;
  subnets: Map<string, SubnetSite>;
  vpcs: Map<string, VpcSite>;
  peerings: Map<string, PeeringSite>;
  hosts: Map<string, HostSite>;
  /** Servers and forward proxies some route targets: they forward like routers. */
  forwarders: Set<string>;
  /** Public IPv4 addresses (198.18.0.0/15 minus the design's own space): internet clients first, then gateways' 1:1 NAT. */
  publicV4: AddressPool;
}

