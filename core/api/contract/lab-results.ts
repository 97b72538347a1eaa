/**
 * What the live lab answers and pushes, declared by the contract: zod schemas with the
 * types inferred from them. The runtime implements these shapes (it takes the types from
 * here), so the contract never imports the implementation, and the contract test suite can
 * check a transport's answers against the schemas.
 */
import { z } from 'zod';
import { AssertionSchema, RouteSchema, ScenarioSchema } from '../../model/schema.js';

/** How each running service works (the runtime's service kinds). */
export const ServiceRoleSchema = z.enum(['backend', 'command', 'l7-balancer', 'l4-balancer', 'reverse-proxy', 'cache', 'forward-proxy']);
export type ServiceRole = z.infer<typeof ServiceRoleSchema>;

/** Lifecycle of the whole lab. */
export const LabStateSchema = z.enum(['idle', 'starting', 'running', 'stopping', 'stopped']);
export type LabState = z.infer<typeof LabStateSchema>;

/**
 * State of one running node: `starting` until it listens (and, for a new auto-scaling
 * instance, passes its health checks), `healthy`/`unhealthy` as health checks see it,
 * `stopped` by a fault or by `stop()`, `crashed` when a user command exited by itself.
 */
export const NodeStateSchema = z.enum(['starting', 'healthy', 'unhealthy', 'stopped', 'crashed']);
export type NodeState = z.infer<typeof NodeStateSchema>;

/** One running node (a design node, or an instance of an auto-scaling group). */
export const LabNodeStatusSchema = z.object({
  /** The node id, or `group#n` for an auto-scaling instance. */
  id: z.string(),
  role: ServiceRoleSchema,
  /** The auto-scaling group an instance belongs to. */
  group: z.string().optional(),
  state: NodeStateSchema,
  /** Why it is unhealthy, stopped or crashed. */
  reason: z.string().optional(),
  /** The designed `ip:port`. */
  address: z.string(),
  /** The loopback URL while it has a port. */
  url: z.string().optional(),
  /** The loopback `https://` URL of its HTTPS listener (a node with `tls`). */
  httpsUrl: z.string().optional(),
  /** True for entry points: reachable from the internet or from a client in the design. */
  published: z.boolean(),
});
export type LabNodeStatus = z.infer<typeof LabNodeStatusSchema>;

/** Capacity of one auto-scaling group. */
export const LabGroupStatusSchema = z.object({
  id: z.string(),
  min: z.number(),
  max: z.number(),
  desired: z.number(),
  /** Instance ids serving traffic (joined their balancers). */
  instances: z.array(z.string()),
  /** Instance ids started but not yet through their health checks. */
  launching: z.array(z.string()),
});
export type LabGroupStatus = z.infer<typeof LabGroupStatusSchema>;

/** A route taken out of its table by a `drop-route` fault. */
export const DroppedRouteSchema = z.object({ table: z.string(), route: RouteSchema });
export type DroppedRoute = z.infer<typeof DroppedRouteSchema>;

/** The whole lab at one moment (`lab.status`). */
export const LabStatusSchema = z.object({
  state: LabStateSchema,
  nodes: z.array(LabNodeStatusSchema),
  groups: z.array(LabGroupStatusSchema),
  droppedRoutes: z.array(DroppedRouteSchema),
  /** The lab's DNS server, when the design has zones: `dig @host -p port NAME` asks it. */
  dns: z.object({ host: z.string(), port: z.number(), zones: z.array(z.string()) }).optional(),
});
export type LabStatus = z.infer<typeof LabStatusSchema>;

/** One row of the endpoint table: designed address -> loopback URL. */
export const LabEndpointSchema = z.object({
  id: z.string(),
  address: z.string(),
  url: z.string(),
  /** The node's HTTPS URL, when it has `tls`. */
  httpsUrl: z.string().optional(),
  /** The kernel lab only: the address the internet reaches the node at, when it has one. */
  publicAddress: z.string().optional(),
});
export type LabEndpoint = z.infer<typeof LabEndpointSchema>;

/** What `lab.start` answers: the running lab and its endpoint table. */
export const LabStartResultSchema = z.object({ status: LabStatusSchema, endpoints: z.array(LabEndpointSchema) });
export type LabStartResult = z.infer<typeof LabStartResultSchema>;

/** Latency of a service's requests (or, for L4, connections), ms. */
export const LatencySummarySchema = z.object({ count: z.number(), mean: z.number(), p50: z.number(), p90: z.number(), p99: z.number(), max: z.number() });
export type LatencySummary = z.infer<typeof LatencySummarySchema>;

/** Per-upstream state a forwarding service reports. */
export const UpstreamMetricsSchema = z.object({
  healthy: z.boolean(),
  /** Why it is unhealthy (last failed check or passive ejection), when it is. */
  reason: z.string().optional(),
  /** How many requests/connections the algorithm sent to it. */
  chosen: z.number(),
  /** Requests/connections in flight to it now. */
  active: z.number(),
  /** Failed attempts (connect errors, resets, timeouts, bad responses). */
  failures: z.number(),
});
export type UpstreamMetrics = z.infer<typeof UpstreamMetricsSchema>;

/** Cache counters (cache nodes only). */
export const CacheMetricsSchema = z.object({ hits: z.number(), misses: z.number(), revalidated: z.number(), entries: z.number(), bytes: z.number() });
export type CacheMetrics = z.infer<typeof CacheMetricsSchema>;

/** A snapshot of one service's counters since it was created (a stop/start keeps them). */
export const NodeMetricsSchema = z.object({
  nodeId: z.string(),
  kind: ServiceRoleSchema,
  /** Epoch ms of the snapshot. */
  at: z.number(),
  listening: z.boolean(),
  /** HTTP requests answered, or TCP connections accepted (L4). */
  requests: z.number(),
  /** Count per status code as text ("200", "503"). Empty for L4. */
  statusCodes: z.record(z.string(), z.number()),
  activeConnections: z.number(),
  /** Bytes received from and sent to clients on the wire (headers included for HTTP). */
  bytesIn: z.number(),
  bytesOut: z.number(),
  /** Time to answer each HTTP request; for L4, each connection's lifetime. */
  latencyMs: LatencySummarySchema,
  cache: CacheMetricsSchema.optional(),
  /** Keyed by target node id (forwarding services only). */
  upstreams: z.record(z.string(), UpstreamMetricsSchema).optional(),
  /** API gateways: requests per route id since start (`none`: matched no route). */
  routes: z.record(z.string(), z.number()).optional(),
});
export type NodeMetrics = z.infer<typeof NodeMetricsSchema>;

/** Counters of the lab's DNS server since it started. */
export const DnsServerCountersSchema = z.object({
  queries: z.number(),
  udp: z.number(),
  tcp: z.number(),
  refused: z.number(),
  formerr: z.number(),
  notimp: z.number(),
  servfail: z.number(),
  /** Messages dropped unanswered: too short, too long, responses, over the rate. */
  dropped: z.number(),
  /** UDP answers sent with TC set (the client retries over TCP). */
  truncated: z.number(),
});

/** Counters of one DNS zone since the lab's DNS started. */
export const DnsZoneMetricsSchema = z.object({
  zoneId: z.string(),
  name: z.string(),
  /** Questions this zone answered (the first zone of a CNAME chain counts). */
  queries: z.number(),
  nxdomain: z.number(),
  nodata: z.number(),
  /** Per record set (`www.shop.example A`), how often each value was answered. */
  answers: z.record(z.string(), z.record(z.string(), z.number())),
});

/** The lab's DNS in a metrics event: server counters and, per zone, queries, answers per value, NXDOMAIN. */
export const DnsMetricsSchema = z.object({ server: DnsServerCountersSchema, zones: z.array(DnsZoneMetricsSchema) });
export type DnsMetrics = z.infer<typeof DnsMetricsSchema>;

/** Pushed on every state change of the lab or of one node (`lab.status` event). */
export const LabStatusEventSchema = z.object({ at: z.number(), lab: LabStateSchema, node: LabNodeStatusSchema.optional() });
export type LabStatusEvent = z.infer<typeof LabStatusEventSchema>;

/** Pushed a few times a second while the lab runs (`lab.metrics` event). */
export const LabMetricsEventSchema = z.object({
  at: z.number(),
  nodes: z.array(NodeMetricsSchema),
  groups: z.array(
    z.object({
      id: z.string(),
      instances: z.number(),
      desired: z.number(),
      metric: z.object({ name: z.enum(['in-flight', 'rps']), value: z.number(), target: z.number() }).optional(),
    }),
  ),
  /** The lab's DNS, when the design has zones. */
  dns: DnsMetricsSchema.optional(),
});
export type LabMetricsEvent = z.infer<typeof LabMetricsEventSchema>;

/** What a log line is about, so a UI can filter (scale events, faults, health changes). */
export const LabLogTopicSchema = z.enum(['lifecycle', 'fault', 'health', 'scale', 'crash', 'service', 'dns', 'gateway']);
export type LabLogTopic = z.infer<typeof LabLogTopicSchema>;

/**
 * One line of the lab's log (`lab.log` event). Scale events carry `data: { group, from, to,
 * direction }`; DNS health changes (topic `dns`) carry `data: { zone, name, type, value,
 * healthy, answering }` (`answering`: the values the record answers from then on, comma-separated);
 * API-gateway requests (topic `gateway`) carry `data: { route, identity?, method, path, status,
 * latencyMs, requestId }`.
 */
export const LabLogEventSchema = z.object({
  at: z.number(),
  level: z.enum(['info', 'warn', 'error']),
  topic: LabLogTopicSchema,
  nodeId: z.string().optional(),
  message: z.string(),
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type LabLogEvent = z.infer<typeof LabLogEventSchema>;

/** Latency percentiles of a load run, in milliseconds. */
export const LoadLatencySchema = z.object({ p50: z.number(), p90: z.number(), p99: z.number(), max: z.number() });
export type LoadLatency = z.infer<typeof LoadLatencySchema>;

/**
 * The summary of a load run (`lab.load`). `status` counts responses per status code
 * ("200") and requests that got no response under "error" (refused, reset, timed out);
 * `errors` breaks those down by cause. `byServer` counts responses per `x-served-by` value
 * (the first entry when a chain is listed); responses without that header are not counted.
 */
export const LoadResultSchema = z.object({
  requests: z.number(),
  rps: z.number(),
  status: z.record(z.string(), z.number()),
  latency: LoadLatencySchema,
  byServer: z.record(z.string(), z.number()),
  /**
   * Responses per designed address the client connected to: the target's address, or for a
   * DNS name, the answer that served each request (the first, or the next after a failed connect).
   */
  byAddress: z.record(z.string(), z.number()),
  /** Failures without a response, by error code (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, ...). */
  errors: z.record(z.string(), z.number()),
  durationMs: z.number(),
  /** True when the run was cancelled before it finished. */
  aborted: z.boolean(),
  /**
   * The URL the run asked for: its scheme (`https` for a run to the TLS listener), the
   * loopback endpoint (or the DNS name, resolved through the lab's DNS) and the path; through
   * a forward proxy, the absolute URL the proxy was asked for.
   */
  url: z.string(),
});
export type LoadResult = z.infer<typeof LoadResultSchema>;

/** What one request (`lab.request`) got back, with timings and the path it took through the lab. */
export const SingleRequestResultSchema = z.object({
  /** The status code, or 0 when no response arrived (see `error`). */
  status: z.number(),
  headers: z.record(z.string(), z.string()),
  /** Text of the body, cut at the size limit. */
  body: z.string(),
  bodyBytes: z.number(),
  truncated: z.boolean(),
  timing: z.object({ headersMs: z.number(), totalMs: z.number() }),
  /** `x-served-by`, split: the origin first, then anything a proxy added. */
  servedBy: z.array(z.string()),
  /** `Via` entries, one per proxy the response passed. */
  via: z.array(z.string()),
  /**
   * The URL requested: its scheme (`https` for a request to the TLS listener), the loopback
   * endpoint and the path; through a forward proxy, the absolute URL the proxy was asked for.
   * Absent when nothing was sent (the design refused the first leg).
   */
  url: z.string().optional(),
  error: z.string().optional(),
  /**
   * The design refused the flow (its routing or filters, as the lab's gate traces them):
   * `sent` false when the lab refused the request's first leg (the client cannot reach the
   * entry node: nothing was sent, status 0, as the network would drop it); true when a node
   * of the lab answered 502 for a leg it may not open (`x-topolab-blocked-by`). `blockedBy` is
   * the node to fix (route table, gateway, subnet, the node whose security groups refuse, an
   * ACL), `code` trace's block code, `reason` trace's sentence.
   */
  blocked: z
    .object({
      sent: z.boolean(),
      from: z.string(),
      to: z.string(),
      blockedBy: z.string(),
      code: z.string(),
      reason: z.string(),
    })
    .optional(),
});
export type SingleRequestResult = z.infer<typeof SingleRequestResultSchema>;

/** The design's refusal of one request (`SingleRequestResult.blocked`). */
export type RequestRefusal = NonNullable<SingleRequestResult['blocked']>;

/** One assertion of a scenario, checked. */
export const AssertionResultSchema = z.object({
  assertion: AssertionSchema,
  passed: z.boolean(),
  /** The assertion as a sentence, e.g. "no 5xx after 3 s". */
  description: z.string(),
  /** What was measured, e.g. "12 of 840 requests got 503 (first at 4.2 s)". */
  observed: z.string(),
  /** Requests the assertion looked at. */
  requests: z.number(),
});
export type AssertionResult = z.infer<typeof AssertionResultSchema>;

/** What happened to one timeline event of a scenario. */
export const ScenarioEventOutcomeSchema = z.object({
  atSeconds: z.number(),
  action: ScenarioSchema.shape.events.unwrap().element.shape.action,
  node: z.string(),
  /** The lab's own words on what it did, or why the fault could not be applied. */
  outcome: z.string(),
  ok: z.boolean(),
});
export type ScenarioEventOutcome = z.infer<typeof ScenarioEventOutcomeSchema>;

/** The result of one scenario run (`lab.scenario`): every assertion's verdict, the timeline and the traffic summary. */
export const ScenarioRunResultSchema = z.object({
  scenario: z.string(),
  passed: z.boolean(),
  assertions: z.array(AssertionResultSchema),
  events: z.array(ScenarioEventOutcomeSchema),
  load: LoadResultSchema,
});
export type ScenarioRunResult = z.infer<typeof ScenarioRunResultSchema>;

/** Upper bounds (ms) of the latency histogram in `lab.progress`; the last bucket counts everything above. */
export const LATENCY_BUCKET_BOUNDS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] as const;

/**
 * Progress of a `lab.load` run that was given a `runId`, a few times a second and once at
 * the end (`done`). Counts are cumulative; `window` covers the requests finished since the
 * previous event (p50/p99 over time); `histogram` has one count per bucket of
 * LATENCY_BUCKET_BOUNDS_MS plus one above, when the runtime reports single requests.
 */
export const LabProgressEventSchema = z.object({
  runId: z.string(),
  completed: z.number(),
  elapsedMs: z.number(),
  rps: z.number(),
  errors: z.number(),
  /** What was asked: a request count or a duration (for a progress bar). */
  planned: z.object({ requests: z.number().optional(), durationSeconds: z.number().optional() }),
  status: z.record(z.string(), z.number()),
  byServer: z.record(z.string(), z.number()),
  window: z.object({ requests: z.number(), p50: z.number(), p99: z.number() }).optional(),
  histogram: z.array(z.number()).optional(),
  done: z.boolean(),
});
export type LabProgressEvent = z.infer<typeof LabProgressEventSchema>;
