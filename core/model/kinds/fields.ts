import { z } from 'zod';

/**
 * Schema pieces shared by several node kinds. Field names are a public contract (other
 * tools write these files): fields are only ever added (optional) within a version, and
 * anything else goes through a migration (see ../migrations.ts).
 */

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** A stable node or edge id: letters, digits, `.`, `_`, `:`, `-`, at most 128 characters. */
export const IdSchema = z
  .string()
  .regex(idPattern, 'ids use letters, digits, ".", "_", ":" and "-", start with a letter or digit, at most 128 characters');

/** A display name. */
export const NameSchema = z.string().max(200);
/** A TCP port. */
export const PortSchema = z.number().int().min(1).max(65535);
/** A CIDR as text; its syntax is checked by the validator, which explains mistakes. */
export const CidrText = z.string().max(64);
/** An address as text; checked by the validator. */
export const IpText = z.string().max(64);

/** Fields every node has. */
export const baseFields = {
  id: IdSchema,
  name: NameSchema.optional(),
  /** The containing node: a subnet's VPC, a server's subnet. */
  parent: IdSchema.optional(),
  description: z.string().max(2000).optional(),
  tags: z.record(z.string().max(128), z.string().max(256)).optional(),
};

/** Fields of a node with an address of its own. */
export const addressFields = {
  /** The node's designed address; assigned from its subnet when missing. */
  ip: IpText.optional(),
  port: PortSchema.optional(),
};

/** Upstream limits of a node that forwards HTTP. */
export const forwardingLimitFields = {
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: z.number().int().min(0).optional(),
  /** Upstream response timeout, in ms. */
  timeoutMs: z.number().int().min(1).max(3_600_000).optional(),
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

/** What an edge carries: HTTP requests, or TCP connections opened and closed. */
export const EdgeProtocolSchema = z.enum(['http', 'tcp']);

/** How a server makes the calls its edges draw, for each request it serves: all at once, or one after another in edge order. */
export const CallOrderSchema = z.enum(['parallel', 'sequential']);

/** The longest per-call timeout a server may set, ms (10 minutes). */
export const MAX_CALL_TIMEOUT_MS = 600_000;

/** Fields of a node that calls its edge targets (its dependencies) for each request it serves. */
export const dependencyCallFields = {
  /** `parallel` (default) or `sequential`. */
  calls: CallOrderSchema.optional(),
  /** Timeout of each call, ms (default 5,000): a slower dependency fails the request with 504. */
  callTimeoutMs: z.number().int().min(1).max(MAX_CALL_TIMEOUT_MS).optional(),
};

export const ServerTemplateSchema = z.strictObject({
  port: PortSchema.optional(),
  latencyMs: LatencySchema.optional(),
  errorRate: z.number().min(0).max(1).optional(),
  command: z.string().max(4096).optional(),
  ...dependencyCallFields,
});

export const TargetTrackingSchema = z.strictObject({
  metric: z.enum(['in-flight', 'rps']),
  /** Target value per instance. */
  target: z.number().positive(),
  cooldownSeconds: z.number().min(0).max(3600).optional(),
});
