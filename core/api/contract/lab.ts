import { z } from 'zod';
import { HealthCheckSchema, IdSchema, NaclRuleSchema, SgInboundRuleSchema, SgOutboundRuleSchema } from '../../model/schema.js';
import { TopologyInput } from './core.js';
import { DesignName } from './files.js';
import { defineEvent, defineMethod } from './define.js';
import { LOAD_LIMITS } from './limits.js';
import type {
  LabLogEvent,
  LabMetricsEvent,
  LabProgressEvent,
  LabStartResult,
  LabStatus,
  LabStatusEvent,
  LoadResult,
  ScenarioRunResult,
  SingleRequestResult,
} from './lab-results.js';

/** A node id, or an auto-scaling instance id such as `asg#2`. */
const LabNodeId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}(#\d{1,3})?$/, 'a node id, or an instance id such as "asg#2"');
const PathText = z.string().startsWith('/').max(2048);
const MethodText = z.string().regex(/^[A-Za-z]{1,16}$/, 'an HTTP method such as GET');
const HeaderMap = z.record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/, 'a header name'), z.string().max(8192)).refine((h) => Object.keys(h).length <= 64, 'at most 64 headers');

/** Names one load run, so its progress events can be told apart and it can be cancelled. */
const RunId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a run id: letters, digits, "-" or "_"');
/** Where lab traffic goes and what it asks for: the fields `lab.load` and `lab.request` share. */
const trafficTarget = {
  from: IdSchema.optional(),
  to: LabNodeId,
  via: IdSchema.optional(),
  path: PathText.optional(),
  method: MethodText.optional(),
  headers: HeaderMap.optional(),
  /** Over HTTPS, to `to`'s TLS listener, trusting the project's CA (and the usual roots) for this request only. */
  https: z.boolean().optional(),
};

export { LOAD_LIMITS };

/** Faults `lab.inject` applies while the lab runs. */
export const LAB_FAULT_ACTIONS = ['stop', 'start', 'latency', 'error-rate', 'drop-route', 'restore-route', 'purge'] as const;
/** Faults only the kernel lab (`mode: "netns"`) applies: a link down or up, a rate limit (tbf) set or removed. */
export const KERNEL_FAULT_ACTIONS = ['link-down', 'link-up', 'rate-limit', 'rate-unlimit'] as const;

/** How a lab runs: every service on 127.0.0.1, or each node in a Linux network namespace at its designed address. */
export const LAB_MODES = ['loopback', 'netns'] as const;
export type LabMode = (typeof LAB_MODES)[number];

/** Whether each lab mode can run here (`lab.modes`); `reason` says why not and how to enable it. */
export interface LabModesResult {
  modes: { mode: LabMode; available: boolean; reason?: string }[];
}

/** The fields `lab.configure` changes (one at least). */
const CONFIGURE_FIELDS = ['weight', 'healthCheck', 'algorithm', 'securityGroups', 'inbound', 'outbound', 'subnets', 'default'] as const;

/** The live lab: one per service instance; closing the service stops it. */
export const labMethods = {
  'lab.start': defineMethod<LabStartResult>()(
    z.strictObject({
      topology: TopologyInput,
      /** Loopback ports to pin per node id (default: any free port). */
      ports: z.record(IdSchema, z.number().int().min(1).max(65535)).optional(),
      /** Run the design's user `command`s; without it a design that has any is refused (`forbidden`), listing them. */
      allowCommands: z.boolean().optional(),
      /** `netns`: each node in a network namespace at its designed address, routed by the kernel (Linux; see `lab.modes`). Default `loopback`. */
      mode: z.enum(LAB_MODES).optional(),
      /** With mode `netns`: run balancers and reverse proxies in nginx or HAProxy with the design's export, unchanged (refused as `bad-input` without it). Default `builtin`. */
      engine: z.enum(['builtin', 'nginx', 'haproxy']).optional(),
      /** The design's name in the served folder (as `files.list` gives it): an API gateway's secret files are read next to it. */
      design: DesignName.optional(),
    }),
    'Start the design as real services on loopback, or with mode "netns" in network namespaces (all-or-nothing); answers the endpoint table.',
  ),
  'lab.modes': defineMethod<LabModesResult>()(z.strictObject({}), 'Which lab modes can run on this machine, and why not where one cannot.'),
  'lab.stop': defineMethod<{ stopped: boolean }>()(z.strictObject({}), 'Stop the lab: no socket, timer or child process is left.'),
  'lab.status': defineMethod<LabStatus>()(z.strictObject({}), 'State of the lab, of every node and of every auto-scaling group.'),
  'lab.inject': defineMethod<{ message: string; status: LabStatus }>()(
    z.strictObject({
      nodeId: LabNodeId,
      action: z.enum([...LAB_FAULT_ACTIONS, ...KERNEL_FAULT_ACTIONS]),
      /** Milliseconds for `latency`, a share 0..1 for `error-rate`, Mbit/s for `rate-limit`. */
      value: z.number().finite().optional(),
      /** `drop-route`/`restore-route`: the destination CIDR (default: every route of the table). */
      route: z.string().max(64).optional(),
      /** `purge`: only this path (default: every entry). */
      path: PathText.optional(),
    }),
    'Inject a fault while the lab runs: stop/start a node, latency, error rate, drop/restore a route, purge a cache; in the kernel lab also take a link down/up and rate-limit it.',
  ),
  'lab.load': defineMethod<LoadResult>()(
    z
      .strictObject({
        ...trafficTarget,
        requests: z.number().int().min(1).max(LOAD_LIMITS.requests).optional(),
        durationSeconds: z.number().positive().max(LOAD_LIMITS.durationSeconds).optional(),
        concurrency: z.number().int().min(1).max(LOAD_LIMITS.concurrency).optional(),
        /** Pace the run to at most this many requests per second (default: as fast as it goes). */
        rps: z.number().positive().max(LOAD_LIMITS.rps).optional(),
        /** Distinct 127.x source addresses (Linux), so source-IP hashing sees distinct clients. */
        sources: z.number().int().min(1).max(LOAD_LIMITS.sources).optional(),
        /** Names the run: progress is pushed as `lab.progress` events and `lab.cancel` can end it. */
        runId: RunId.optional(),
      })
      .refine((input) => input.requests === undefined || input.durationSeconds === undefined, { message: 'give either requests or durationSeconds, not both' }),
    'Send N requests (or for a duration) at a concurrency to a node, from a client of the design; answers the summary.',
  ),
  'lab.request': defineMethod<SingleRequestResult>()(
    z.strictObject({
      ...trafficTarget,
      body: z.string().max(1024 * 1024).optional(),
      /**
       * With `via` (a forward proxy): the absolute URL to ask the proxy for, instead of `to`'s
       * designed address, e.g. a host outside the lab to see the proxy refuse it.
       */
      target: z.url({ protocol: /^https?$/ }).max(2048).optional(),
    }).refine((input) => input.target === undefined || input.via !== undefined, { message: 'target needs via: it is what a forward proxy is asked for' }),
    'Send one request through the lab; answers status, headers, timings and the served-by chain, and `blocked` (who could not reach whom, the blocker, its code and reason) when the design refuses the flow.',
  ),
  'lab.configure': defineMethod<{ message: string; status: LabStatus }>()(
    z
      .strictObject({
        nodeId: LabNodeId,
        /** A server's weight in every balancer in front of it (0 takes it out of rotation). */
        weight: z.number().int().min(0).max(256).optional(),
        /** A balancer's active health check; null turns checks off. */
        healthCheck: HealthCheckSchema.nullable().optional(),
        algorithm: z.enum(['round-robin', 'weighted-round-robin', 'least-connections', 'source-hash', 'random-two']).optional(),
        /** The security groups of a server, balancer, proxy, cache, client or auto-scaling group; null: none listed (its VPC's default group). */
        securityGroups: z.array(IdSchema).min(1).max(64).nullable().optional(),
        /** A security group's or network ACL's inbound rules (the node's kind decides which shape). */
        inbound: z.array(z.union([SgInboundRuleSchema, NaclRuleSchema])).max(1000).optional(),
        /** A security group's or network ACL's outbound rules. */
        outbound: z.array(z.union([SgOutboundRuleSchema, NaclRuleSchema])).max(1000).optional(),
        /** A network ACL's subnets. */
        subnets: z.array(IdSchema).max(1000).optional(),
        /** Whether a security group or network ACL is its VPC's default. */
        default: z.boolean().optional(),
      })
      .refine((input) => CONFIGURE_FIELDS.some((field) => input[field] !== undefined), { message: `give one of ${CONFIGURE_FIELDS.join(', ')}` }),
    'Apply a property edit live: a server\'s weight, a balancer\'s health check or algorithm, a node\'s security groups, a security group\'s or network ACL\'s rules, subnets or default flag (what the app\'s inspector changes while the lab runs); filters apply to the next connection.',
  ),
  'lab.cancel': defineMethod<{ cancelled: number }>()(
    z.strictObject({ runId: RunId.optional() }),
    'Cancel a running `lab.load` (by its runId, or every run); the cancelled call answers what was measured, with aborted: true.',
  ),
  'lab.scenario': defineMethod<ScenarioRunResult>()(
    z.strictObject({ name: z.string().min(1).max(128) }),
    "Run one of the running design's scenarios (`topolab test`): its traffic with its timeline of faults, then its assertions.",
  ),
};

/** Events of the live lab. */
export const labEvents = {
  'lab.status': defineEvent<LabStatusEvent>('The lab or one node changed state (starting, healthy, unhealthy, stopped, crashed).'),
  'lab.metrics': defineEvent<LabMetricsEvent>('Per-node counters and latency, a few times a second while the lab runs.'),
  'lab.log': defineEvent<LabLogEvent>('One line of the lab log: lifecycle, faults, health changes, scale events, crashes.'),
  'lab.progress': defineEvent<LabProgressEvent>('Progress of a `lab.load` run that has a runId: counts, rate, latency window and histogram; `done` on the last one.'),
};
