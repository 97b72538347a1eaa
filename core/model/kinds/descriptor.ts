import type { z } from 'zod';
import type { EphemeralRange } from './filters.js';
import type { ReferencePath } from './reference-path.js';
import type { SchemaKit } from './schema-kit.js';

/**
 * How a node takes requests sent along an edge: `http` plain (origin-form) HTTP at one
 * address; `proxy` proxy requests (absolute-form or CONNECT) from a proxy-aware client;
 * `pool` as a pool of instances, which only a forwarding node can reach (it has no single
 * address to send to).
 */
export type ReceiveMode = 'http' | 'proxy' | 'pool';

/** What an edge carries: HTTP requests, or TCP connections (the file's `"protocol"`). */
export type EdgeProtocol = 'http' | 'tcp';

/** What an edge from this kind means, and what it may point at. */
export interface SendTrait {
  /** What the edge targets are to the sender, in words: "targets", "upstreams", "dependencies". */
  readonly role: string;
  /** The receive modes it can talk to. */
  readonly to: readonly ReceiveMode[];
  /** The protocols its edges may carry: a reverse proxy or cache only speaks HTTP upstream. */
  readonly protocols: readonly EdgeProtocol[];
}

/** How a route uses a node of this kind as its target. */
export type RouteTargetRole = 'internet-gateway' | 'nat-gateway' | 'peering' | 'instance';

/**
 * Whether traffic from the internet reaches a node of this kind sitting in a public subnet:
 * `public-address` as an instance with a public address; `when-facing` only when marked
 * `internetFacing` (an AWS internet-facing scheme, internal otherwise); `never`.
 */
export type InternetExposure = 'public-address' | 'when-facing' | 'never';

/** What a node of a kind does in a network; every layer asks these instead of listing kinds. */
export interface KindTraits {
  /** Owns an address in a subnet (or, for clients, on the internet): `ip`, `port`. */
  readonly addressable: boolean;
  /** Holds other nodes, drawn as a frame of this default size; `false` for a plain node. */
  readonly container: { readonly width: number; readonly height: number } | false;
  /** How it takes requests sent along an edge; `false` when nothing is sent to it. */
  readonly receives: ReceiveMode | false;
  /** What it sends along its edges; `false` when edges cannot start at it. */
  readonly sends: SendTrait | false;
  /** Passes each request on to its edge targets (upstreams): balancers, reverse proxies, caches. */
  readonly forwards: boolean;
  /** Calls its edge targets (its dependencies) for each request it serves: a server, every instance of a group. */
  readonly calls: boolean;
  /** How a route may target it; `false` when it cannot be a route target. */
  readonly routeTarget: RouteTargetRole | false;
  /** Whether the internet reaches it (see `InternetExposure`). */
  readonly internet: InternetExposure;
  /** A trace may start or end at it. */
  readonly traceEndpoint: boolean;
  /** Takes `securityGroups` (for a group: its instances): the security groups that filter its traffic. */
  readonly securityGroups: boolean;
  /**
   * The source ports it opens connections from, where network ACLs must let the replies
   * back in; `false` when it opens none.
   */
  readonly ephemeralPorts: EphemeralRange | false;
  /** Takes a `tls` block (an HTTPS listener with the project's CA); a layer-4 balancer's is refused by validate (`tls-unsupported`). */
  readonly tls: boolean;
}

/** What a reference test sees of a candidate target: its kind and traits. */
export interface ReferencedKind {
  readonly kind: string;
  readonly traits: KindTraits;
}

/** One place in a node where an id names another node. */
export interface ReferenceSlot {
  id: string;
  /** Path inside the node, e.g. `['rules', 0, 'upstreams', 1]`. */
  path: (string | number)[];
}

/**
 * A field of a node that names other nodes. Declared once per kind, in its descriptor;
 * the file schema (ids that resolve), validation (kinds that fit), deletes and paste
 * (renaming or dropping ids) all read it.
 */
export interface NodeReference<N> {
  /** The field, as paths and messages name it. */
  readonly field: string;
  /**
   * Where its ids sit inside the node (`['routes', EACH, 'target']`): the one declaration of
   * them, which `slots` and the file schema's reference checks read (reference-path.ts).
   */
  readonly at: ReferencePath;
  /** What the referenced node is to this one, in a sentence: "associated subnet". */
  readonly noun: string;
  /** Whether a node of this kind may be referenced here. */
  accepts(target: ReferencedKind): boolean;
  /** Values that are not node ids (a route's `local` and `blackhole`). */
  readonly keywords?: readonly string[];
  /**
   * Whether the file schema refuses an id that names no node. Route targets are left to
   * the validator, which explains them (`route-target-missing`).
   */
  readonly mustResolve: boolean;
  /**
   * The diagnostic code of the validation rule that explains a referenced node of the
   * wrong kind, when one rule owns this reference; otherwise `reference-kind` reports it.
   */
  readonly validatedBy?: string;
  /**
   * A value that names no node may be a DNS name of one of the design's zones instead
   * (`isDesignZoneName`): the lab resolves it through its DNS, per the record's TTL.
   */
  readonly dnsNames?: boolean;
  /** Every id the node names here (keywords left out), with its path inside the node: what `at` finds. */
  slots(node: N): ReferenceSlot[];
  /**
   * The node with every id passed through `map`: a new id renames it, `undefined` drops
   * it (and what only makes sense with it: a route, an emptied proxy rule). `null` when
   * the node cannot stand without it (a peering that lost a VPC). Returns `node` itself
   * when nothing changed.
   */
  remap(node: N, map: (id: string) => string | undefined): N | null;
}

/** Everything Topolab knows about one node kind. One file per kind under core/model/kinds/. */
export interface KindDescriptor<K extends string = string, S extends z.ZodType = z.ZodType, P extends readonly (string | null)[] = readonly (string | null)[]> {
  readonly kind: K;
  /**
   * Builds the zod schema of a node of this kind (a strict object with `kind: z.literal(K)`)
   * from zod and the shared schema pieces. Called once, by node-schemas.ts (`NODE_SCHEMAS`,
   * `nodeSchemaOf`): the descriptor itself loads no zod (schema-kit.ts).
   */
  readonly schema: (kit: SchemaKit) => S;
  /** Human label, for messages and the palette: "Load balancer". */
  readonly label: string;
  /** Prefix of generated ids: new nodes are `web-1`, `rtb-2`. */
  readonly idPrefix: string;
  /** Kinds that may contain it; `null` is the top level (the open canvas, the internet). */
  readonly parents: P;
  /** The port it listens on when the node pins none (addressable kinds; 0 listens on nothing). */
  readonly defaultPort?: number;
  readonly traits: KindTraits;
  /** Fields naming other nodes (besides `parent`, which every kind has). */
  readonly references: readonly NodeReference<z.output<S>>[];
  /** Fields a new node starts with (besides id, parent and its address). */
  readonly initial: Readonly<Record<string, unknown>>;
  /**
   * The protocol an edge to a node of this kind carries when the edge names none (its
   * `"protocol"`); `http` when absent. A layer-4 balancer takes TCP connections.
   */
  readonly edgeProtocol?: (node: z.output<S>) => EdgeProtocol;
}

/** Declares a kind; the identity function keeps the literal types for the tables derived from it. */
export function defineKind<const K extends string, S extends z.ZodType, const P extends readonly (string | null)[]>(descriptor: KindDescriptor<K, S, P>): KindDescriptor<K, S, P> {
  return descriptor;
}

/** Traits of a kind that carries no traffic itself (a VPC, a route table): start from these. */
export const INERT: KindTraits = {
  addressable: false,
  container: false,
  receives: false,
  sends: false,
  forwards: false,
  calls: false,
  routeTarget: false,
  internet: 'never',
  traceEndpoint: false,
  securityGroups: false,
  ephemeralPorts: false,
  tls: false,
};
