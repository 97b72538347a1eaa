import type { IncomingMessage, ServerResponse } from 'node:http';
import { TargetPool } from '../balancing/pool.js';
import { sendError } from '../http/errors.js';
import { lowerKeys, matchRule, rewritePath, rulePrefix, targetsOfRule } from './proxy-rules.js';
import { DEFAULT_MAX_IN_FLIGHT } from './l7-balancer.js';
import { ForwardingServiceBase, type Route } from './upstream-base.js';
import type { NodeMetrics, ProxyRoute, ReverseProxyOptions, ReverseProxyService, ServiceEvent, UpstreamMetrics, UpstreamTarget } from './types.js';

/** A rule ready to serve: lower-cased rewrites and its own round-robin pool. */
interface CompiledRule {
  route: ProxyRoute;
  pool: TargetPool;
  requestHeaders: Record<string, string> | undefined;
  responseHeaders: Record<string, string> | undefined;
}

/**
 * The reverse proxy / API gateway: routes by host and path prefix (first match wins) to a
 * pool per rule, rewrites the prefix and headers, and forwards like the balancer does
 * (X-Forwarded-*, Via, hop-by-hop stripping, loop refusal, 502/503/504).
 */
export class ReverseProxy extends ForwardingServiceBase implements ReverseProxyService {
  readonly kind = 'reverse-proxy' as const;
  private targets: readonly UpstreamTarget[];
  private routes: readonly ProxyRoute[];
  private compiled: CompiledRule[] = [];
  private readonly fallback: TargetPool;

  constructor(options: ReverseProxyOptions) {
    super(options, DEFAULT_MAX_IN_FLIGHT, 'http');
    this.targets = options.targets ?? [];
    this.routes = options.rules ?? [];
    this.fallback = new TargetPool(this.nodeId, 'round-robin', undefined, (e) => this.emit(e), { gate: this.gate });
    this.compile();
  }

  protected targetPools(): readonly TargetPool[] {
    return [this.fallback, ...this.compiled.map((c) => c.pool)];
  }

  protected route(req: IncomingMessage, res: ServerResponse): Route | undefined {
    const path = req.url ?? '/';
    if (this.compiled.length === 0) return { pool: this.fallback, path };
    const match = matchRule(this.routes, req.headers.host ?? '', path);
    const rule = match === undefined ? undefined : this.compiled[match.index];
    if (match === undefined || rule === undefined) {
      sendError(res, 404, 'no-route', `no rule of ${this.nodeId} matches host "${req.headers.host ?? ''}" and path "${path}"`, this.nodeId);
      return undefined;
    }
    return {
      pool: rule.pool,
      path: match.rule.rewritePrefix === undefined ? path : rewritePath(path, rulePrefix(match.rule) ?? '/', match.rule.rewritePrefix),
      ...(rule.requestHeaders ? { requestHeaders: rule.requestHeaders } : {}),
      ...(rule.responseHeaders ? { responseHeaders: rule.responseHeaders } : {}),
    };
  }

  setTargets(targets: readonly UpstreamTarget[]): void {
    this.targets = targets;
    this.compile();
    this.pools.retain(targets.map((t) => t.endpoint));
  }

  setRules(rules: readonly ProxyRoute[]): void {
    this.routes = rules;
    this.compile();
  }

  override metrics(): NodeMetrics {
    const merged: Record<string, UpstreamMetrics> = {};
    for (const pool of this.targetPools()) {
      for (const [id, m] of Object.entries(pool.metrics())) {
        const seen = merged[id];
        merged[id] = seen === undefined ? m : { ...seen, healthy: seen.healthy && m.healthy, chosen: seen.chosen + m.chosen, active: seen.active + m.active, failures: seen.failures + m.failures };
      }
    }
    return this.snapshot({ upstreams: merged });
  }

  /** Rebuilds per-rule pools, keeping the state of pools whose rule index survives. */
  private compile(): void {
    const healthyByDefault = this.healthCheck === undefined;
    this.fallback.setTargets(this.targets, healthyByDefault);
    const previous = this.compiled;
    for (const dropped of previous.slice(this.routes.length)) dropped.pool.dispose();
    this.compiled = this.routes.map((route, index) => {
      // The fallback pool holds every target and reports its routing; rule pools would repeat it.
      const emit = (e: ServiceEvent): void => (e.type === 'health' && e.source === 'routing' ? undefined : this.emit(e));
      const pool = previous[index]?.pool ?? new TargetPool(this.nodeId, 'round-robin', undefined, emit, { gate: this.gate });
      pool.setTargets(targetsOfRule(route, this.targets), healthyByDefault);
      return { route, pool, requestHeaders: lowerKeys(route.requestHeaders), responseHeaders: lowerKeys(route.responseHeaders) };
    });
    if (this.healthCheck !== undefined) this.setHealthCheck(this.healthCheck);
  }
}
