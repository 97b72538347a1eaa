import type { IncomingMessage, ServerResponse } from 'node:http';
import { TargetPool } from '../balancing/pool.js';
import { sendError } from '../http/errors.js';
import { lowerKeys, matchRule, rewritePath, rulePrefix, targetsOfRule } from './proxy-rules.js';
import { DEFAULT_MAX_IN_FLIGHT } from './l7-balancer.js';
import { ForwardingServiceBase, type Route } from './upstream-base.js';
import { Gateway, type GatewayForward } from './gateway/pipeline.js';
import { readSecretFiles } from './gateway/secrets.js';
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
  /** The API gateway's middlewares when the node has a `gateway` block (its routes replace `rules`). */
  private readonly gateway: Gateway | undefined;

  constructor(options: ReverseProxyOptions) {
    super(options, DEFAULT_MAX_IN_FLIGHT, 'http');
    this.targets = options.targets ?? [];
    const config = options.gateway;
    if (config !== undefined) {
      this.gateway = new Gateway(this.nodeId, config, readSecretFiles(config, options.designFolder), (record) => this.emit({ type: 'request', nodeId: this.nodeId, ...record }));
      this.routes = config.routes.map((route) => ({ upstreams: route.upstreams }));
    } else this.routes = options.rules ?? [];
    this.fallback = new TargetPool(this.nodeId, 'round-robin', undefined, (e) => this.emit(e), { gate: this.gate });
    this.compile();
  }

  protected targetPools(): readonly TargetPool[] {
    return [this.fallback, ...this.compiled.map((c) => c.pool)];
  }

  protected route(req: IncomingMessage, res: ServerResponse): Route | undefined | Promise<Route | undefined> {
    if (this.gateway !== undefined) {
      const decided = this.gateway.handle(req, res);
      return decided instanceof Promise ? decided.then((d) => this.gatewayRoute(d)) : this.gatewayRoute(decided);
    }
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

  private gatewayRoute(decided: GatewayForward | undefined): Route | undefined {
    if (decided === undefined) return undefined;
    const rule = this.compiled[decided.routeIndex] as CompiledRule;
    return { pool: rule.pool, path: decided.path, requestHeaders: decided.requestHeaders, responseHeaders: decided.responseHeaders };
  }

  setTargets(targets: readonly UpstreamTarget[]): void {
    this.targets = targets;
    this.compile();
    this.pools.retain(targets);
  }

  setRules(rules: readonly ProxyRoute[]): void {
    // A gateway's routes are its rules: live rule edits do not apply to it.
    if (this.gateway !== undefined) return;
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
    return this.snapshot({ upstreams: merged, ...(this.gateway !== undefined ? { routes: this.gateway.routeCounts() } : {}) });
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
