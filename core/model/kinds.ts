/** The `schema` marker of files this version writes, and its number. */
export const CURRENT_SCHEMA = 'topolab/1';
export const SCHEMA_VERSION = 1;

/** Every kind of node a topology can hold. The order is the palette order. */
export const NODE_KINDS = [
  'vpc',
  'subnet',
  'route-table',
  'internet-gateway',
  'nat-gateway',
  'peering',
  'server',
  'load-balancer',
  'reverse-proxy',
  'forward-proxy',
  'cache',
  'client',
  'autoscaling-group',
] as const;

export type NodeKind = (typeof NODE_KINDS)[number];

/** Every cloud profile a design may name in `provider` (reserved addresses, size limits). */
export const PROVIDERS = ['aws', 'azure', 'gcp', 'generic'] as const;

/** Kinds that own an address in a subnet (or, for clients, on the internet). */
export const ADDRESSABLE_KINDS = [
  'server',
  'load-balancer',
  'reverse-proxy',
  'forward-proxy',
  'cache',
  'nat-gateway',
  'client',
] as const satisfies readonly NodeKind[];

export type AddressableKind = (typeof ADDRESSABLE_KINDS)[number];

/**
 * Which kinds may contain a node of a given kind (`parent`). An empty list means the node
 * must sit at the top level; `null` in the list means the top level is allowed too
 * (a client on the internet).
 */
export const ALLOWED_PARENTS: Record<NodeKind, readonly (NodeKind | null)[]> = {
  vpc: [null],
  subnet: ['vpc'],
  'route-table': ['vpc'],
  'internet-gateway': ['vpc'],
  'nat-gateway': ['subnet'],
  peering: [null],
  server: ['subnet', 'autoscaling-group'],
  'load-balancer': ['subnet'],
  'reverse-proxy': ['subnet'],
  'forward-proxy': ['subnet'],
  cache: ['subnet'],
  client: [null, 'subnet'],
  'autoscaling-group': ['subnet'],
};

/** Default listening port per addressable kind, when the node does not pin one. */
export const DEFAULT_PORTS: Record<AddressableKind, number> = {
  server: 80,
  'load-balancer': 80,
  'reverse-proxy': 80,
  'forward-proxy': 3128,
  cache: 80,
  'nat-gateway': 0,
  client: 0,
};

/** Human label of each kind, for messages and the palette. */
export const KIND_LABELS: Record<NodeKind, string> = {
  vpc: 'VPC',
  subnet: 'Subnet',
  'route-table': 'Route table',
  'internet-gateway': 'Internet gateway',
  'nat-gateway': 'NAT gateway',
  peering: 'VPC peering',
  server: 'Server',
  'load-balancer': 'Load balancer',
  'reverse-proxy': 'Reverse proxy',
  'forward-proxy': 'Forward proxy',
  cache: 'Cache',
  client: 'Client',
  'autoscaling-group': 'Auto-scaling group',
};

/** Whether nodes of this kind have an IP address of their own (and so a place in the address plan). */
export function isAddressableKind(kind: NodeKind): kind is AddressableKind {
  return (ADDRESSABLE_KINDS as readonly NodeKind[]).includes(kind);
}
