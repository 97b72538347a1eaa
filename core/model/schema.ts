import { z } from 'zod';
import { CURRENT_SCHEMA, PROVIDERS, SCHEMA_VERSION } from './kinds.js';
import { referenceIssues } from './references.js';

/**
 * The zod schema of a `topolab/1` file. Field names here are a public contract: other
 * tools write these files, so fields are only ever added (optional) within a version,
 * and anything else goes through a migration (see migrations.ts).
 *
 * Semantic checks (CIDR syntax, containment, overlaps, routing) are not done here: the
 * schema only guarantees the shape, so that a file with a wrong address still opens and
 * the validator can explain the problem. Referential integrity (unique ids, references
 * that resolve) is checked here, because a model with dangling ids cannot be drawn.
 */

export { CURRENT_SCHEMA, SCHEMA_VERSION };

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** A stable node or edge id: letters, digits, `.`, `_`, `:`, `-`, at most 128 characters. */
export const IdSchema = z
  .string()
  .regex(idPattern, 'ids use letters, digits, ".", "_", ":" and "-", start with a letter or digit, at most 128 characters');

const NameSchema = z.string().max(200);
const PortSchema = z.number().int().min(1).max(65535);
/** A CIDR or address as text; its syntax is checked by the validator, which explains mistakes. */
const CidrText = z.string().max(64);
const IpText = z.string().max(64);

export const ProviderSchema = z.enum(PROVIDERS);

const baseFields = {
  id: IdSchema,
  name: NameSchema.optional(),
  /** The containing node: a subnet's VPC, a server's subnet. */
  parent: IdSchema.optional(),
  description: z.string().max(2000).optional(),
  tags: z.record(z.string().max(128), z.string().max(256)).optional(),
};

const addressFields = {
  /** The node's designed address; assigned from its subnet when missing. */
  ip: IpText.optional(),
  port: PortSchema.optional(),
};

export const RouteSchema = z.strictObject({
  destination: CidrText,
  /** A node id (gateway, peering, NAT, ...), `local` or `blackhole`. */
  target: z.string().min(1).max(128),
});

export const HealthCheckSchema = z.strictObject({
  type: z.enum(['http', 'tcp']).optional(),
  path: z.string().startsWith('/').max(2048).optional(),
  intervalMs: z.number().int().min(50).max(600_000).optional(),
  timeoutMs: z.number().int().min(10).max(600_000).optional(),
  rise: z.number().int().min(1).max(100).optional(),
  fall: z.number().int().min(1).max(100).optional(),
  /** Status codes counted as healthy, e.g. "200-399". */
  expectStatus: z.string().regex(/^\d{3}(-\d{3})?$/).optional(),
});

export const StickySchema = z.strictObject({
  cookie: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  ttlSeconds: z.number().int().min(1).max(31_536_000).optional(),
});

export const LatencySchema = z.union([
  z.number().min(0).max(600_000),
  z.strictObject({
    distribution: z.enum(['fixed', 'uniform', 'normal', 'exponential']),
    /** Mean (normal, exponential), value (fixed) or lower bound (uniform), in ms. */
    ms: z.number().min(0).max(600_000),
    /** Upper bound (uniform) or standard deviation (normal), in ms. */
    spreadMs: z.number().min(0).max(600_000).optional(),
  }),
]);

export const ProxyRuleSchema = z.strictObject({
  host: z.string().max(255).optional(),
  pathPrefix: z.string().startsWith('/').max(2048).optional(),
  /** Node ids the matching requests go to (a pool when more than one). */
  upstreams: z.array(IdSchema).min(1),
  /** Replace the matched prefix with this one before forwarding. */
  rewritePrefix: z.string().startsWith('/').max(2048).optional(),
  requestHeaders: z.record(z.string().max(128), z.string().max(1024)).optional(),
  responseHeaders: z.record(z.string().max(128), z.string().max(1024)).optional(),
});

export const ServerTemplateSchema = z.strictObject({
  port: PortSchema.optional(),
  latencyMs: LatencySchema.optional(),
  errorRate: z.number().min(0).max(1).optional(),
  command: z.string().max(4096).optional(),
});

export const TargetTrackingSchema = z.strictObject({
  metric: z.enum(['in-flight', 'rps']),
  /** Target value per instance. */
  target: z.number().positive(),
  cooldownSeconds: z.number().min(0).max(3600).optional(),
});

export const VpcNodeSchema = z.strictObject({
  ...baseFields,
  kind: z.literal('vpc'),
  cidr: CidrText,
  secondaryCidrs: z.array(CidrText).max(5).optional(),
  region: z.string().max(64).optional(),
});

export const SubnetNodeSchema = z.strictObject({
  ...baseFields,
  kind: z.literal('subnet'),
  cidr: CidrText,
  zone: z.string().max(64).optional(),
});

export const RouteTableNodeSchema = z.strictObject({
  ...baseFields,
  kind: z.literal('route-table'),
  /** Subnets explicitly associated with this table. */
  subnets: z.array(IdSchema).default([]),
  /** The VPC's main table: used by subnets with no explicit association. */
  main: z.boolean().optional(),
  routes: z.array(RouteSchema).default([]),
});

export const InternetGatewayNodeSchema = z.strictObject({
  ...baseFields,
  kind: z.literal('internet-gateway'),
});

export const NatGatewayNodeSchema = z.strictObject({
  ...baseFields,
  ...addressFields,
  kind: z.literal('nat-gateway'),
});

export const PeeringNodeSchema = z.strictObject({
  ...baseFields,
  kind: z.literal('peering'),
  /** The two peered VPCs (requester first). */
  vpcs: z.tuple([IdSchema, IdSchema]),
});

export const ServerNodeSchema = z.strictObject({
  ...baseFields,
  ...addressFields,
  kind: z.literal('server'),
  latencyMs: LatencySchema.optional(),
  errorRate: z.number().min(0).max(1).optional(),
  /** A user command run instead of the built-in app, with PORT and HOST set. */
  command: z.string().max(4096).optional(),
  weight: z.number().int().min(0).max(256).optional(),
});

export const LoadBalancerNodeSchema = z.strictObject({
  ...baseFields,
  ...addressFields,
  kind: z.literal('load-balancer'),
  layer: z.union([z.literal(4), z.literal(7)]).default(7),
  algorithm: z
    .enum(['round-robin', 'weighted-round-robin', 'least-connections', 'source-hash', 'random-two'])
    .default('round-robin'),
  healthCheck: HealthCheckSchema.optional(),
  sticky: StickySchema.optional(),
  internetFacing: z.boolean().optional(),
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: z.number().int().min(0).optional(),
  /** Upstream response timeout, in ms. */
  timeoutMs: z.number().int().min(1).max(3_600_000).optional(),
});

export const ReverseProxyNodeSchema = z.strictObject({
  ...baseFields,
  ...addressFields,
  kind: z.literal('reverse-proxy'),
  /** Routing rules, first match wins; without rules every request goes to the edge targets. */
  rules: z.array(ProxyRuleSchema).optional(),
  internetFacing: z.boolean().optional(),
  maxBodyBytes: z.number().int().min(0).optional(),
  timeoutMs: z.number().int().min(1).max(3_600_000).optional(),
});

export const ForwardProxyNodeSchema = z.strictObject({
  ...baseFields,
  ...addressFields,
  kind: z.literal('forward-proxy'),
  /** Host names, `*.domain` wildcards or CIDRs that may be reached. */
  allow: z.array(z.string().max(255)).optional(),
  /** Host names, `*.domain` wildcards or CIDRs that are refused (checked before `allow`). */
  deny: z.array(z.string().max(255)).optional(),
});

export const CacheNodeSchema = z.strictObject({
  ...baseFields,
  ...addressFields,
  kind: z.literal('cache'),
  maxBytes: z.number().int().min(0).optional(),
  /** Freshness in seconds for responses without explicit freshness information. */
  defaultTtl: z.number().int().min(0).optional(),
  internetFacing: z.boolean().optional(),
});

export const ClientNodeSchema = z.strictObject({
  ...baseFields,
  ...addressFields,
  kind: z.literal('client'),
});

export const AutoscalingGroupNodeSchema = z.strictObject({
  ...baseFields,
  kind: z.literal('autoscaling-group'),
  min: z.number().int().min(0).max(100),
  max: z.number().int().min(1).max(100),
  desired: z.number().int().min(0).max(100).optional(),
  template: ServerTemplateSchema.optional(),
  targetTracking: TargetTrackingSchema.optional(),
  /** Further subnets the group spreads over, besides its parent. */
  subnets: z.array(IdSchema).optional(),
});

export const NodeSchema = z.discriminatedUnion('kind', [
  VpcNodeSchema,
  SubnetNodeSchema,
  RouteTableNodeSchema,
  InternetGatewayNodeSchema,
  NatGatewayNodeSchema,
  PeeringNodeSchema,
  ServerNodeSchema,
  LoadBalancerNodeSchema,
  ReverseProxyNodeSchema,
  ForwardProxyNodeSchema,
  CacheNodeSchema,
  ClientNodeSchema,
  AutoscalingGroupNodeSchema,
]);

export const EdgeSchema = z.strictObject({
  id: IdSchema,
  from: IdSchema,
  to: IdSchema,
  label: z.string().max(200).optional(),
});

export const LayoutEntrySchema = z.strictObject({
  /** Position relative to the parent container (as React Flow's `parentId`). */
  x: z.number().finite(),
  y: z.number().finite(),
  width: z.number().finite().positive().optional(),
  height: z.number().finite().positive().optional(),
});

/**
 * A scenario: a timeline of faults run together with a traffic pattern, and assertions
 * checked on the result. The runtime gives the semantics; the file only carries the data.
 */
export const ScenarioSchema = z.strictObject({
  name: z.string().min(1).max(128),
  description: z.string().max(2000).optional(),
  traffic: z
    .strictObject({
      from: IdSchema.optional(),
      to: IdSchema,
      path: z.string().startsWith('/').max(2048).optional(),
      method: z.string().regex(/^[A-Z]{1,16}$/).optional(),
      rps: z.number().positive().max(100_000).optional(),
      concurrency: z.number().int().min(1).max(1000).optional(),
      durationSeconds: z.number().positive().max(3600),
    }),
  events: z
    .array(
      z.strictObject({
        atSeconds: z.number().min(0).max(3600),
        action: z.enum(['stop', 'start', 'latency', 'error-rate', 'drop-route', 'restore-route', 'purge']),
        node: IdSchema,
        value: z.number().optional(),
        route: z.string().max(64).optional(),
      }),
    )
    .default([]),
  assertions: z.array(z.lazy(() => AssertionSchema)).default([]),
});

/** A window of the run an assertion looks at: seconds from the start, or while a node is down. */
const WindowFields = {
  /** Only requests sent at or after this second. */
  after: z.number().min(0).max(3600).optional(),
  /** Only requests sent before this second. */
  before: z.number().min(0).max(3600).optional(),
  /** Only requests sent while this node was stopped by a scenario event. */
  whileDown: IdSchema.optional(),
};

/**
 * What a scenario checks on its traffic. Each kind reads as a sentence:
 * `no-status` "no 5xx after 3 s"; `share` "web-2 serves 100% while web-1 is down";
 * `balanced` "share per backend within 10%"; `latency` "p99 under 200 ms";
 * `success-rate` "at least 99% 2xx/3xx".
 */
export const AssertionSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('no-status'),
    /** A code (`503`), a class (`5xx`) or `error` (no response). */
    status: z.string().regex(/^([1-5]\d\d|[1-5]xx|error)$/),
    ...WindowFields,
  }),
  z.strictObject({
    type: z.literal('share'),
    server: IdSchema,
    /** Smallest share of answered requests, 0 to 1. */
    min: z.number().min(0).max(1).optional(),
    max: z.number().min(0).max(1).optional(),
    ...WindowFields,
  }),
  z.strictObject({
    type: z.literal('balanced'),
    /** Largest allowed deviation of any backend's share from an even split, 0 to 1. */
    within: z.number().min(0).max(1),
    /** The backends expected to share the traffic; default: every backend that answered. */
    servers: z.array(IdSchema).optional(),
    ...WindowFields,
  }),
  z.strictObject({
    type: z.literal('latency'),
    percentile: z.enum(['p50', 'p90', 'p99', 'max']),
    belowMs: z.number().positive(),
    ...WindowFields,
  }),
  z.strictObject({
    type: z.literal('success-rate'),
    /** Smallest share of requests answered with a status below 400, 0 to 1. */
    min: z.number().min(0).max(1),
    ...WindowFields,
  }),
]);

export const TopologyObjectSchema = z.strictObject({
  schema: z.literal(CURRENT_SCHEMA),
  name: z.string().max(200).default('Untitled'),
  description: z.string().max(10_000).optional(),
  provider: ProviderSchema.default('aws'),
  nodes: z.array(NodeSchema).default([]),
  edges: z.array(EdgeSchema).default([]),
  layout: z.record(IdSchema, LayoutEntrySchema).default({}),
  scenarios: z.array(ScenarioSchema).optional(),
});

/** The full schema: shape plus referential integrity (unique ids, references that resolve; references.ts). */
export const TopologySchema = TopologyObjectSchema.superRefine((doc, ctx) => {
  for (const issue of referenceIssues(doc)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});
