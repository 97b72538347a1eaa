import type { LoadBalancerNode } from '../../model/types.js';
import type { Endpoint } from '../design.js';
import { commentText } from '../escape.js';
import { formatEndpoint, mapEndpoint, type ExportOptions } from '../options.js';
import type { ReportBuilder } from '../report.js';
import type { ConfigWriter } from '../text.js';
import { duration } from './syntax.js';

/** Everything an `upstream` block needs. */
export interface UpstreamSpec {
  name: string;
  endpoints: readonly Endpoint[];
  /** The balancer that owns the pool (algorithm, weights, health); proxies and caches use round robin. */
  balancer?: LoadBalancerNode;
  /** `keepalive` only exists in http upstreams. */
  http: boolean;
}

/** Idle keep-alive connections each worker keeps per upstream: enough for a lab, small for a host. */
const KEEPALIVE_CONNECTIONS = 32;

/**
 * Writes one `upstream` block. The balancing method comes before `keepalive`, as nginx
 * requires; weights are written only for weighted round robin, since the other methods of
 * the design ignore them.
 */
export function writeUpstream(w: ConfigWriter, spec: UpstreamSpec, options: ExportOptions, report: ReportBuilder): void {
  const lb = spec.balancer;
  w.open(`upstream ${spec.name}`);
  // Shared memory, so every worker sees the same round-robin position and failure counts.
  w.line(`zone ${spec.name} 64k;`);
  const weighted = lb?.algorithm === 'weighted-round-robin';
  if (lb) writeMethod(w, lb, report);
  const passive = lb ? passiveHealth(lb, report) : '';
  const written = new Set<string>();
  for (const endpoint of spec.endpoints) {
    const target = mapEndpoint(options, endpoint.ip, endpoint.port);
    // Several designed endpoints may map to one real one (a group's instances behind one Service).
    const key = formatEndpoint(target.host, target.port);
    if (written.has(key)) continue;
    written.add(key);
    let params = '';
    if (weighted) {
      const weight = endpoint.weight ?? 1;
      // nginx has no weight 0; a server that must get no traffic is marked down.
      if (weight === 0) {
        params += ' down';
        report.approximated(endpoint.nodeId, 'weight', 'weight 0 written as `down` (nginx weights start at 1)');
      } else if (weight !== 1) params += ` weight=${weight}`;
    }
    params += passive;
    w.line(`server ${formatEndpoint(target.host, target.port)}${params};  # ${describeEndpoint(endpoint)}`);
  }
  if (spec.http) w.line(`keepalive ${KEEPALIVE_CONNECTIONS};`);
  const groups = [...new Set(spec.endpoints.filter((e) => e.synthetic).map((e) => e.groupId ?? ''))];
  for (const group of groups) {
    report.approximated(group, 'autoscaling', 'instances written at their planned addresses; nginx needs a reload (or DNS discovery) when the group scales');
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
      report.expressed(lb.id, 'algorithm', 'weighted round robin as server `weight=`');
      return;
    case 'least-connections':
      w.line('least_conn;');
      report.expressed(lb.id, 'algorithm', 'least connections as `least_conn`');
      return;
    case 'source-hash':
      // ip_hash keys on the first three octets only, so a whole /24 would share a server;
      // hashing the full address (consistent, so adding a server moves few clients) is the design's meaning.
      w.line('hash $remote_addr consistent;');
      report.expressed(lb.id, 'algorithm', 'source-IP hash as `hash $remote_addr consistent` (ip_hash would group clients by /24)');
      return;
    case 'random-two':
      w.line('random two least_conn;');
      report.expressed(lb.id, 'algorithm', 'random two choices as `random two least_conn` (nginx >= 1.15.1)');
      return;
  }
}

/**
 * nginx open source has no active health checks (`health_check` is NGINX Plus), so the
 * design's check becomes passive ejection: `fall` failures within the check window take a
 * server out for that window.
 */
function passiveHealth(lb: LoadBalancerNode, report: ReportBuilder): string {
  const check = lb.healthCheck;
  if (!check) return ' max_fails=3 fail_timeout=10s';
  const fall = check.fall ?? 3;
  // fail_timeout takes whole seconds only (nginx refuses `ms` there).
  const windowMs = Math.ceil(Math.max(1000, (check.intervalMs ?? 5000) * fall) / 1000) * 1000;
  report.approximated(
    lb.id,
    'health-check',
    `active ${check.type ?? 'http'} check${check.path ? ` of ${commentText(check.path)}` : ''} is NGINX Plus only; written as passive max_fails=${fall} fail_timeout=${duration(windowMs)}`,
  );
  return ` max_fails=${fall} fail_timeout=${duration(windowMs)}`;
}
