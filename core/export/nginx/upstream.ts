import { HEALTH_CHECK_DEFAULTS, PASSIVE_EJECTION_DEFAULTS, STICKY_DEFAULTS } from '../../model/defaults.js';
import type { LoadBalancerNode } from '../../model/types.js';
import type { Endpoint } from '../design.js';
import { commentText } from '../escape.js';
import type { Addressing } from '../listen.js';
import { formatEndpoint } from '../options.js';
import type { ReportBuilder } from '../report.js';
import type { ConfigWriter } from '../text.js';
import { duration } from './syntax.js';

/** Everything an `upstream` block needs. */
export interface UpstreamSpec {
  name: string;
  /** The node the pool belongs to (report lines about addresses name it). */
  ownerId: string;
  endpoints: readonly Endpoint[];
  /** The balancer that owns the pool (algorithm, weights, health); proxies and caches use round robin. */
  balancer?: LoadBalancerNode;
  /** `keepalive` only exists in http upstreams. */
  http: boolean;
  /** The variable a sticky balancer hashes (see `stickyMaps`). */
  stickyKey?: string;
}

/**
 * The algorithms whose weights nginx should be given: smooth weighted round robin, which is
 * the lab's exactly. The lab's least connections divides in-flight requests by weight but
 * rotates through ties; nginx's `least_conn` breaks ties by weighted round robin, so weights
 * there would skew a lightly loaded pool (3:1:1 where the lab spreads evenly) and are left
 * out. Weight 0 takes a server out of every pool, whatever the algorithm.
 */
const WEIGHTED_ALGORITHMS: ReadonlySet<LoadBalancerNode['algorithm']> = new Set(['weighted-round-robin']);

/** Idle keep-alive connections each worker keeps per upstream: enough for a lab, small for a host. */
const KEEPALIVE_CONNECTIONS = 32;

/**
 * Writes one `upstream` block. The balancing method comes before `keepalive`, as nginx
 * requires; weights are written for weighted round robin only (`WEIGHTED_ALGORITHMS`),
 * and a server of weight 0, which the lab never picks, is `down` in every pool.
 */
export function writeUpstream(w: ConfigWriter, spec: UpstreamSpec, addressing: Addressing, report: ReportBuilder): void {
  const lb = spec.balancer;
  w.open(`upstream ${spec.name}`);
  // Shared memory, so every worker sees the same round-robin position and failure counts.
  w.line(`zone ${spec.name} 64k;`);
  const weighted = lb !== undefined && WEIGHTED_ALGORITHMS.has(lb.algorithm);
  if (spec.stickyKey !== undefined) w.line(`hash ${spec.stickyKey} consistent;`);
  else if (lb) writeMethod(w, lb, report);
  const passive = passiveHealth(lb, report);
  const written = new Set<string>();
  for (const endpoint of spec.endpoints) {
    const target = addressing.connectTo(endpoint.ip, endpoint.port, report, spec.ownerId);
    // Several designed endpoints may map to one real one (a group's instances behind one Service).
    const key = formatEndpoint(target.host, target.port);
    if (written.has(key)) continue;
    written.add(key);
    let params = '';
    const weight = endpoint.weight ?? 1;
    if (weight === 0) {
      // nginx has no weight 0; a server the lab never picks (in any pool) is marked down.
      params += ' down';
      report.approximated(endpoint.nodeId, 'weight', 'weight 0 written as `down` (nginx weights start at 1)', 'nothing to do: the server gets no requests, as in the lab');
    } else if (weighted && weight !== 1) params += ` weight=${weight}`;
    params += passive;
    w.line(`server ${key}${params};  # ${describeEndpoint(endpoint)}`);
  }
  if (spec.http) w.line(`keepalive ${KEEPALIVE_CONNECTIONS};`);
  const groups = [...new Set(spec.endpoints.filter((e) => e.synthetic).map((e) => e.groupId ?? ''))];
  for (const group of groups) {
    report.approximated(group, 'autoscaling', 'instances written at their planned addresses; nginx needs a reload (or DNS discovery) when the group scales', 'reload nginx after the group scales, or resolve the group through DNS (server ... resolve, nginx 1.27.3+)');
  }
  w.close();
}

/** Comment text naming an endpoint's node. */
export function describeEndpoint(endpoint: Endpoint): string {
  if (endpoint.synthetic) return commentText(`instance ${endpoint.nodeId} of auto-scaling group ${endpoint.groupId ?? ''}`);
  return commentText(endpoint.nodeId);
}

function writeMethod(w: ConfigWriter, lb: LoadBalancerNode, report: ReportBuilder): void {
  switch (lb.algorithm) {
    case 'round-robin':
      report.expressed(lb.id, 'algorithm', 'round robin (nginx default)');
      return;
    case 'weighted-round-robin':
      report.expressed(lb.id, 'algorithm', 'weighted round robin as server `weight=` (nginx smooth weighted round robin, as the lab)');
      return;
    case 'least-connections':
      w.line('least_conn;');
      report.expressed(lb.id, 'algorithm', 'least connections as `least_conn`');
      return;
    case 'source-hash':
      // ip_hash keys on the first three octets only, so a whole /24 would share a server;
      // hashing the full address (consistent, so adding a server moves few clients) is the design's meaning.
      w.line('hash $remote_addr consistent;');
      report.expressed(lb.id, 'algorithm', 'source-IP hash as `hash $remote_addr consistent` (ip_hash would group clients by /24); which server a client lands on differs from the lab, that it stays there does not');
      return;
    case 'random-two':
      w.line('random two least_conn;');
      report.expressed(lb.id, 'algorithm', 'random two choices as `random two least_conn` (nginx >= 1.15.1)');
      return;
  }
}

/**
 * nginx open source has no active health checks (`health_check` is NGINX Plus), so the
 * design's check becomes passive ejection with the lab's numbers: `fall` failed requests
 * within `fall` check intervals take a server out for that long. Without a check, the
 * lab's passive ejection (3 consecutive faults take a server out for 5 s) is written out.
 */
function passiveHealth(lb: LoadBalancerNode | undefined, report: ReportBuilder): string {
  const check = lb?.healthCheck;
  if (!check) {
    const { consecutiveFailures, ejectMs } = PASSIVE_EJECTION_DEFAULTS;
    return ` max_fails=${consecutiveFailures} fail_timeout=${duration(ejectMs)}`;
  }
  const fall = check.fall ?? HEALTH_CHECK_DEFAULTS.fall;
  const interval = check.intervalMs ?? HEALTH_CHECK_DEFAULTS.intervalMs;
  // fail_timeout takes whole seconds only (nginx refuses `ms` there).
  const windowMs = Math.ceil(Math.max(1000, interval * fall) / 1000) * 1000;
  if (lb) {
    report.approximated(
      lb.id,
      'health-check',
      `active ${check.type ?? 'http'} check of ${commentText(check.path ?? HEALTH_CHECK_DEFAULTS.path)} every ${duration(interval)} is NGINX Plus only; written as passive max_fails=${fall} fail_timeout=${duration(windowMs)}: a server that stops answering is avoided from its first failed request on (nginx retries the request on the next server), but one that answers while its check path fails keeps getting traffic`,
      'use the HAProxy export for active checks, or NGINX Plus (health_check); keep the check path answering as the service does',
    );
  }
  return ` max_fails=${fall} fail_timeout=${duration(windowMs)}`;
}

/** The sticky cookie of a balancer, defaults filled in. */
export function stickySettings(lb: LoadBalancerNode): { cookie: string; ttlSeconds: number } {
  return { cookie: lb.sticky?.cookie ?? STICKY_DEFAULTS.cookie, ttlSeconds: lb.sticky?.ttlSeconds ?? STICKY_DEFAULTS.ttlSeconds };
}

/**
 * Cookie stickiness with open-source nginx: the cookie's value, or when the client has none
 * a fresh `$request_id` (the client address under source hash), is hashed consistently over the servers, and a client without
 * the cookie is given it. So a client stays on one server as in the lab (`sticky cookie`
 * itself is NGINX Plus). Returns the `map` blocks and the two variables they define.
 */
export function stickyMaps(name: string, lb: LoadBalancerNode): { maps: string[]; key: string; setCookie: string } {
  const { cookie, ttlSeconds } = stickySettings(lb);
  const key = `$topolab_sticky_${name}`;
  const setCookie = `$topolab_sticky_set_${name}`;
  // A client's first pick: the lab's algorithm picks it, so under source hash it follows
  // the client's address (the cookie then carries that address); otherwise a fresh id.
  const seed = lb.algorithm === 'source-hash' ? '$remote_addr' : '$request_id';
  // The cookie name is [A-Za-z0-9_-] (schema), safe inside a regex and a quoted string.
  const read = `"~(?:^|;\\s*)${cookie}=(?<topolab_${name}>[^;]+)"`;
  return {
    key,
    setCookie,
    maps: [
      `map $http_cookie ${key} {`,
      `    ${read} $topolab_${name};`,
      `    default ${seed};`,
      '}',
      `map $http_cookie ${setCookie} {`,
      `    ${read} "";`,
      `    default "${cookie}=${seed}; Path=/; Max-Age=${ttlSeconds}; HttpOnly; SameSite=Lax";`,
      '}',
    ],
  };
}
