import type { z } from 'zod';
import type {
  AssertionSchema,
  AutoscalingGroupNodeSchema,
  CacheNodeSchema,
  ClientNodeSchema,
  EdgeSchema,
  ForwardProxyNodeSchema,
  HealthCheckSchema,
  InternetGatewayNodeSchema,
  LatencySchema,
  LayoutEntrySchema,
  LoadBalancerNodeSchema,
  NatGatewayNodeSchema,
  NodeSchema,
  PeeringNodeSchema,
  ProviderSchema,
  ProxyRuleSchema,
  ReverseProxyNodeSchema,
  RouteSchema,
  RouteTableNodeSchema,
  ScenarioSchema,
  ServerNodeSchema,
  StickySchema,
  SubnetNodeSchema,
  TopologyObjectSchema,
  VpcNodeSchema,
  SecurityGroupNodeSchema,
  NetworkAclNodeSchema,
  SgInboundRuleSchema,
  SgOutboundRuleSchema,
  NaclRuleSchema,
  FilterProtocolSchema,
} from './schema.js';
import type { NodeKind } from './kinds/index.js';

/** A loaded, schema-checked topology (defaults applied). */
export type Topology = z.output<typeof TopologyObjectSchema>;
/** What a file or another tool may write: defaults are optional. */
export type TopologyInput = z.input<typeof TopologyObjectSchema>;

export type TopologyNode = z.output<typeof NodeSchema>;
export type Edge = z.output<typeof EdgeSchema>;
export type LayoutEntry = z.output<typeof LayoutEntrySchema>;
export type Provider = z.output<typeof ProviderSchema>;
export type Route = z.output<typeof RouteSchema>;
export type HealthCheck = z.output<typeof HealthCheckSchema>;
export type Sticky = z.output<typeof StickySchema>;
export type Latency = z.output<typeof LatencySchema>;
export type ProxyRule = z.output<typeof ProxyRuleSchema>;
export type Scenario = z.output<typeof ScenarioSchema>;
export type Assertion = z.output<typeof AssertionSchema>;

export type VpcNode = z.output<typeof VpcNodeSchema>;
export type SubnetNode = z.output<typeof SubnetNodeSchema>;
export type RouteTableNode = z.output<typeof RouteTableNodeSchema>;
export type InternetGatewayNode = z.output<typeof InternetGatewayNodeSchema>;
export type NatGatewayNode = z.output<typeof NatGatewayNodeSchema>;
export type PeeringNode = z.output<typeof PeeringNodeSchema>;
export type ServerNode = z.output<typeof ServerNodeSchema>;
export type LoadBalancerNode = z.output<typeof LoadBalancerNodeSchema>;
export type ReverseProxyNode = z.output<typeof ReverseProxyNodeSchema>;
export type ForwardProxyNode = z.output<typeof ForwardProxyNodeSchema>;
export type CacheNode = z.output<typeof CacheNodeSchema>;
export type ClientNode = z.output<typeof ClientNodeSchema>;
export type AutoscalingGroupNode = z.output<typeof AutoscalingGroupNodeSchema>;
export type SecurityGroupNode = z.output<typeof SecurityGroupNodeSchema>;
export type NetworkAclNode = z.output<typeof NetworkAclNodeSchema>;
export type SgInboundRule = z.output<typeof SgInboundRuleSchema>;
export type SgOutboundRule = z.output<typeof SgOutboundRuleSchema>;
export type NaclRule = z.output<typeof NaclRuleSchema>;
/** A filter rule's protocol (`all`: every protocol). */
export type FilterProtocol = z.output<typeof FilterProtocolSchema>;

/** The node type of one kind: `NodeOfKind<'subnet'>` is `SubnetNode`. */
export type NodeOfKind<K extends NodeKind> = Extract<TopologyNode, { kind: K }>;

/** A node that has a designed address (`ip`, `port`). */
export type AddressableNode = Extract<TopologyNode, { ip?: string }>;
