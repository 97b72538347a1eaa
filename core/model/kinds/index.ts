import type { z } from 'zod';
import { autoscalingGroup } from './autoscaling-group.js';
import { cache } from './cache.js';
import { client } from './client.js';
import { dnsZone } from './dns-zone.js';
import type { KindDescriptor, KindTraits, NodeReference, ReceiveMode } from './descriptor.js';
import { forwardProxy } from './forward-proxy.js';
import { internetGateway } from './internet-gateway.js';
import { loadBalancer } from './load-balancer.js';
import { natGateway } from './nat-gateway.js';
import { networkAcl } from './network-acl.js';
import { peering } from './peering.js';
import type { ResolvingReference, ResolvingReferences } from './reference-path.js';
import { reverseProxy } from './reverse-proxy.js';
import { routeTable } from './route-table.js';
import { securityGroup } from './security-group.js';
import { server } from './server.js';
import { subnet } from './subnet.js';
import { vpc } from './vpc.js';

export * from './descriptor.js';
export * from './filters.js';
export * from './reference-path.js';
export * from './tls.js';
export { ROUTE_KEYWORDS } from './route-table.js';
// The zod schemas (NodeSchema, IdSchema, ...) are not exported here: they are in node-schemas.ts
// and the shared pieces' modules, loaded by ../schema.ts (schema-kit.ts says why).

/**
 * Every node kind's descriptor, in palette order. The one list of kinds: everything else
 * (the node schema, `NODE_KINDS`, the tables below, each layer's `Record<NodeKind, ...>`)
 * is derived from it. Adding a kind starts here (docs/architecture.md, "Adding a node kind").
 */
export const KIND_DESCRIPTORS = [
  vpc,
  subnet,
  routeTable,
  securityGroup,
  networkAcl,
  internetGateway,
  natGateway,
  peering,
  server,
  loadBalancer,
  reverseProxy,
  forwardProxy,
  cache,
  client,
  autoscalingGroup,
  dnsZone,
] as const;

type Descriptors = typeof KIND_DESCRIPTORS;

/** Every kind of node a topology can hold. */
export type NodeKind = Descriptors[number]['kind'];

/** Every kind, in palette order. */
export const NODE_KINDS: readonly NodeKind[] = KIND_DESCRIPTORS.map((d) => d.kind);

/** The zod schema of each node kind (what its descriptor's `schema` builds), keyed by kind. */
export type SchemaOf<K extends NodeKind> = ReturnType<Extract<Descriptors[number], { kind: K }>['schema']>;
// A generic mapped type, so it maps the tuple element by element.
type SchemaTuple<T extends readonly unknown[]> = { -readonly [I in keyof T]: T[I] extends { schema: (kit: never) => infer S } ? S : never };
/** The node schemas in palette order, as a tuple (for the discriminated union in node-schemas.ts). */
export type NodeSchemas = SchemaTuple<Descriptors>;

/** The descriptor of each kind, keyed by kind. */
export const KINDS = Object.fromEntries(KIND_DESCRIPTORS.map((d) => [d.kind, d])) as unknown as {
  readonly [K in NodeKind]: KindDescriptor<K, SchemaOf<K>>;
};

// Every parent a descriptor names must be a kind: the compiler checks it here.
type NamedParent = Descriptors[number]['parents'][number];
const parentsAreKinds: readonly (NodeKind | null)[] = [] as NamedParent[];
void parentsAreKinds;

/** The descriptor of a kind. */
export function descriptorOf<K extends NodeKind>(kind: K): KindDescriptor<K, SchemaOf<K>> {
  return KINDS[kind];
}

/** Which kinds may contain a node of a given kind; `null` is the top level. */
export const ALLOWED_PARENTS = table((d) => d.parents as readonly (NodeKind | null)[]);

/** Human label of each kind, for messages and the palette. */
export const KIND_LABELS = table((d) => d.label);

/** Prefix of generated ids per kind (`web-1`, `rtb-2`). */
export const ID_PREFIX = table((d) => d.idPrefix);

/** A kind's traits, keyed by kind. */
export const KIND_TRAITS = table((d): KindTraits => d.traits);

/** The node type of one kind. Declared here (not in types.ts) so the kind tables can use it. */
type NodeOf<K extends NodeKind> = z.output<SchemaOf<K>>;

/** A node that has a designed address (`ip`, `port`). */
type AnyNode = NodeOf<NodeKind>;
/** Kinds whose nodes own an address in a subnet (or, for clients, on the internet). */
export type AddressableKind = Extract<AnyNode, { ip?: string }>['kind'];

/** Kinds that own an address, in palette order. */
export const ADDRESSABLE_KINDS = kindsWhere('addressable') as readonly AddressableKind[];

/** Default listening port per addressable kind, when the node does not pin one (0: it listens on nothing). */
export const DEFAULT_PORTS = Object.fromEntries(ADDRESSABLE_KINDS.map((kind) => [kind, KINDS[kind].defaultPort ?? 0])) as Record<AddressableKind, number>;

/** Whether nodes of this kind have an IP address of their own (and so a place in the address plan). */
export function isAddressableKind(kind: NodeKind): kind is AddressableKind {
  return KINDS[kind]?.traits.addressable === true;
}

/** A boolean trait, by name. */
type FlagTrait = { [T in keyof KindTraits]: KindTraits[T] extends boolean ? T : never }[keyof KindTraits];

/**
 * The kinds, in palette order, whose descriptor has a trait: `kindsWhere('forwards')`, or a
 * test over the descriptor: `kindsWhere((d) => d.traits.routeTarget === 'instance')`.
 */
export function kindsWhere(trait: FlagTrait | ((descriptor: KindDescriptor<NodeKind>) => boolean)): readonly NodeKind[] {
  const test = typeof trait === 'function' ? trait : (d: KindDescriptor<NodeKind>) => d.traits[trait];
  return (KIND_DESCRIPTORS as readonly KindDescriptor<NodeKind>[]).filter(test).map((d) => d.kind);
}

/** Whether a kind's descriptor has a trait (see `kindsWhere`). */
export function kindHas(kind: NodeKind, trait: FlagTrait | ((descriptor: KindDescriptor<NodeKind>) => boolean)): boolean {
  const d = KINDS[kind] as KindDescriptor<NodeKind> | undefined;
  if (!d) return false;
  return typeof trait === 'function' ? trait(d) : d.traits[trait];
}

/** The kinds an edge from `source` may point at: those that take what it sends (none when it sends nothing). */
export function edgeTargetKinds(source: NodeKind): readonly NodeKind[] {
  return EDGE_TARGETS[source];
}

/** Whether an edge from a `from` node to a `to` node is one the design can carry. */
export function canSendTo(from: NodeKind, to: NodeKind): boolean {
  return EDGE_TARGETS[from].includes(to);
}

/** Kinds that take requests in one of these modes. */
export function kindsReceiving(modes: readonly ReceiveMode[]): readonly NodeKind[] {
  return kindsWhere((d) => d.traits.receives !== false && modes.includes(d.traits.receives));
}

const EDGE_TARGETS = table((d) => (d.traits.sends ? kindsReceiving(d.traits.sends.to) : []));

/** The `parent` field every kind has: it must name a node (which kind is the `parent-invalid` rule's). */
export const PARENT_REFERENCE: NodeReference<{ parent?: string }> = {
  field: 'parent',
  at: ['parent'],
  noun: 'parent',
  accepts: () => true,
  mustResolve: true,
  slots: (node) => (node.parent === undefined ? [] : [{ id: node.parent, path: ['parent'] }]),
  remap(node, map) {
    if (node.parent === undefined) return node;
    const parent = map(node.parent);
    if (parent === node.parent) return node;
    const { parent: _gone, ...rest } = node;
    return parent === undefined ? rest : { ...rest, parent };
  },
};

/** The references a node of this kind declares (without `parent`). */
export function referencesOf<K extends NodeKind>(kind: K): readonly NodeReference<NodeOf<K>>[] {
  return (KINDS[kind]?.references ?? []) as readonly NodeReference<NodeOf<K>>[];
}

/**
 * The references of each kind whose ids must name a node (`mustResolve`), as plain data:
 * what the file schema checks (integrity.ts), and what the generated parser carries a copy
 * of (`npm run schema`), so the loader's fast path checks the same references without zod.
 */
export const RESOLVING_REFERENCES = table((d): readonly ResolvingReference[] =>
  (d.references as readonly NodeReference<unknown>[])
    .filter((r) => r.mustResolve)
    .map((r) => ({ noun: r.noun, at: r.at, ...(r.keywords !== undefined ? { keywords: r.keywords } : {}), ...(r.dnsNames ? { dnsNames: true } : {}) })),
) satisfies ResolvingReferences;

/** The kinds a reference accepts, in palette order. */
export function referenceKinds(reference: Pick<NodeReference<unknown>, 'accepts'>): readonly NodeKind[] {
  return kindsWhere((d) => reference.accepts(d));
}

/**
 * A node with every reference (its declared ones; `parent` too unless `keepParent`) passed
 * through `map` (see `NodeReference.remap`); `null` when the node cannot stand without a
 * reference that was dropped. The one place deletes and paste rewrite ids.
 */
export function remapReferences<N extends AnyNode>(node: N, map: (id: string) => string | undefined, options: { keepParent?: boolean } = {}): N | null {
  let current: N | null = node;
  for (const reference of referencesOf(node.kind) as readonly NodeReference<N>[]) {
    if (current === null) return null;
    current = reference.remap(current, map);
  }
  if (current === null || options.keepParent) return current;
  return PARENT_REFERENCE.remap(current, map) as N;
}

function table<V>(pick: (descriptor: Descriptors[number]) => V): Readonly<Record<NodeKind, V>> {
  return Object.fromEntries(KIND_DESCRIPTORS.map((d) => [d.kind, pick(d)])) as Record<NodeKind, V>;
}
