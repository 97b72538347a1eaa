import { z } from 'zod';
import { KIND_DESCRIPTORS, type NodeKind, type NodeSchemas, type SchemaOf } from './index.js';
import { SCHEMA_KIT } from './schema-kit.js';

/**
 * Every kind's zod schema, built once from its descriptor's `schema` function when this module
 * first loads: through ../schema.ts, by what checks or explains a document (the loader's full
 * path, the API's input checks, an edit), never by the validator or the loader's fast path.
 */
export const NODE_SCHEMAS = Object.fromEntries(KIND_DESCRIPTORS.map((d) => [d.kind, d.schema(SCHEMA_KIT)])) as unknown as {
  readonly [K in NodeKind]: SchemaOf<K>;
};

/** The zod schema of a node of one kind. */
export function nodeSchemaOf<K extends NodeKind>(kind: K): SchemaOf<K> {
  return NODE_SCHEMAS[kind];
}

/** The zod schema of any node: a union discriminated by `kind`, one member per descriptor. */
export const NodeSchema = z.discriminatedUnion('kind', KIND_DESCRIPTORS.map((d) => NODE_SCHEMAS[d.kind]) as unknown as NodeSchemas);

export const VpcNodeSchema = NODE_SCHEMAS.vpc;
export const SubnetNodeSchema = NODE_SCHEMAS.subnet;
export const RouteTableNodeSchema = NODE_SCHEMAS['route-table'];
export const SecurityGroupNodeSchema = NODE_SCHEMAS['security-group'];
export const NetworkAclNodeSchema = NODE_SCHEMAS['network-acl'];
export const InternetGatewayNodeSchema = NODE_SCHEMAS['internet-gateway'];
export const NatGatewayNodeSchema = NODE_SCHEMAS['nat-gateway'];
export const PeeringNodeSchema = NODE_SCHEMAS.peering;
export const ServerNodeSchema = NODE_SCHEMAS.server;
export const LoadBalancerNodeSchema = NODE_SCHEMAS['load-balancer'];
export const ReverseProxyNodeSchema = NODE_SCHEMAS['reverse-proxy'];
export const ForwardProxyNodeSchema = NODE_SCHEMAS['forward-proxy'];
export const CacheNodeSchema = NODE_SCHEMAS.cache;
export const ClientNodeSchema = NODE_SCHEMAS.client;
export const AutoscalingGroupNodeSchema = NODE_SCHEMAS['autoscaling-group'];
export const DnsZoneNodeSchema = NODE_SCHEMAS['dns-zone'];
