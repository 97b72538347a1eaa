import { z } from 'zod';
import { PROVIDER_IDS } from '../cidr/providers.js';
import { referenceIssues } from './integrity.js';
import { EdgeProtocolSchema, IdSchema, PortSchema } from './kinds/fields.js';
import { RESOLVING_REFERENCES } from './kinds/index.js';
import { NodeSchema } from './kinds/node-schemas.js';
import { CURRENT_SCHEMA, SCHEMA_VERSION } from './version.js';

/**
 * The zod schema of a `topolab/1` file. Field names here are a public contract: other
 * tools write these files, so fields are only ever added (optional) within a version,
 * and anything else goes through a migration (see migrations.ts).
 *
 * Semantic checks (CIDR syntax, containment, overlaps, routing) are not done here: the
 * schema only guarantees the shape, so that a file with a wrong address still opens and
 * the validator can explain the problem. Referential integrity (unique ids, references
 * that resolve) is checked here, because a model with dangling ids cannot be drawn.
 *
 * Each node kind's schema lives in its descriptor (kinds/<kind>.ts); this file holds the
 * document around them: edges, layout, scenarios.
 */

export { CURRENT_SCHEMA, SCHEMA_VERSION };

export { NodeSchema, NODE_SCHEMAS, nodeSchemaOf } from './kinds/node-schemas.js';

/** The cloud whose rules apply (sizes, reserved addresses). */
export const ProviderSchema = z.enum(PROVIDER_IDS);
export {
  IdSchema,
  RouteSchema,
  HealthCheckSchema,
  StickySchema,
  LatencySchema,
  ProxyRuleSchema,
  ServerTemplateSchema,
  TargetTrackingSchema,
  EdgeProtocolSchema,
  CallOrderSchema,
} from './kinds/fields.js';
export {
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
  SecurityGroupNodeSchema,
  NetworkAclNodeSchema,
  DnsZoneNodeSchema,
} from './kinds/node-schemas.js';
export { SgInboundRuleSchema, SgOutboundRuleSchema, NaclRuleSchema, FilterProtocolSchema } from './kinds/filter-schemas.js';
export { DnsRecordSchema, DnsRecordTypeSchema, DnsRoutingPolicySchema } from './kinds/dns-schema.js';

/**
 * An edge: `from` sends to `to`. `port` is the destination port (default: the port `to`
 * listens on) and `protocol` what the edge carries (default: from `to`, `tcp` for a
 * layer-4 balancer, else `http`); both are what `validate` traces each edge with.
 */
export const EdgeSchema = z.strictObject({
  id: IdSchema,
  from: IdSchema,
  to: IdSchema,
  label: z.string().max(200).optional(),
  port: PortSchema.optional(),
  protocol: EdgeProtocolSchema.optional(),
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

/**
 * The full schema: shape plus referential integrity (unique ids, parents and the references
 * each kind declares that resolve, no parent cycles; integrity.ts). The loader's fast path
 * runs the same check, on the generated parser's copy of the declared references.
 */
export const TopologySchema = TopologyObjectSchema.superRefine((doc, ctx) => {
  for (const issue of referenceIssues(doc, RESOLVING_REFERENCES)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});
