import type { z } from 'zod';
import type { SchemaKit } from './schema-kit.js';
import { INERT, defineKind, type NodeReference } from './descriptor.js';
import { WIDE_EPHEMERAL, securityGroupsReference } from './filters.js';
import { EACH } from './reference-path.js';
import { declareReference, mapIds } from './references.js';

/** The schema of a node of this kind, built from the kit by node-schemas.ts. */
const nodeSchema = ({ z, GatewaySchema, ProxyRuleSchema, TlsSchema, addressFields, baseFields, forwardingLimitFields, securityGroupFields }: SchemaKit) =>
  z.strictObject({
    ...baseFields,
    ...addressFields,
    kind: z.literal('reverse-proxy'),
    ...securityGroupFields,
    /** Routing rules, first match wins; without rules every request goes to the edge targets. */
    rules: z.array(ProxyRuleSchema).optional(),
    /** API-gateway routes (method, host, path pattern), auth, rate limits, CORS; instead of `rules`. */
    gateway: GatewaySchema.optional(),
    internetFacing: z.boolean().optional(),
    ...forwardingLimitFields,
    /** HTTPS listener with the project's local CA (layer-7 only on a balancer). */
    tls: TlsSchema.optional(),
  });

type ReverseProxy = z.output<ReturnType<typeof nodeSchema>>;

/** `rules[].upstreams[]`: where a rule sends; a rule left with no upstream goes. */
const ruleUpstreams: NodeReference<ReverseProxy> = declareReference<ReverseProxy>({
  field: 'rules',
  at: ['rules', EACH, 'upstreams', EACH],
  noun: 'upstream',
  // What a forwarder may send to (as its edges): plain HTTP listeners and groups.
  accepts: (target) => target.traits.receives === 'http' || target.traits.receives === 'pool',
  mustResolve: true,
  // `api.shop.example`: resolved through the lab's DNS again whenever its TTL runs out.
  dnsNames: true,
  remap(node, map) {
    if (!node.rules) return node;
    let changed = false;
    const rules: NonNullable<ReverseProxy['rules']> = [];
    for (const rule of node.rules) {
      const upstreams = mapIds(rule.upstreams, map);
      if (upstreams === rule.upstreams) rules.push(rule);
      else {
        changed = true;
        if (upstreams.length > 0) rules.push({ ...rule, upstreams });
      }
    }
    return changed ? { ...node, rules } : node;
  },
});

/** `gateway.routes[].upstreams[]`: where a gateway route sends; a route left with no upstream goes. */
const gatewayUpstreams: NodeReference<ReverseProxy> = declareReference<ReverseProxy>({
  field: 'gateway',
  at: ['gateway', 'routes', EACH, 'upstreams', EACH],
  noun: 'upstream',
  accepts: (target) => target.traits.receives === 'http' || target.traits.receives === 'pool',
  mustResolve: true,
  dnsNames: true,
  remap(node, map) {
    if (!node.gateway) return node;
    let changed = false;
    const routes: NonNullable<ReverseProxy['gateway']>['routes'] = [];
    for (const route of node.gateway.routes) {
      const upstreams = mapIds(route.upstreams, map);
      if (upstreams === route.upstreams) routes.push(route);
      else {
        changed = true;
        if (upstreams.length > 0) routes.push({ ...route, upstreams });
      }
    }
    if (!changed) return node;
    if (routes.length > 0) return { ...node, gateway: { ...node.gateway, routes } };
    const { gateway: _dropped, ...rest } = node;
    return rest;
  },
});

/** A reverse proxy: sends each request to its upstreams, by routing rules (host, path) or to its edge targets. */
export const reverseProxy = defineKind({
  kind: 'reverse-proxy',
  schema: nodeSchema,
  label: 'Reverse proxy',
  idPrefix: 'proxy',
  parents: ['subnet'],
  defaultPort: 80,
  traits: {
    ...INERT,
    addressable: true,
    receives: 'http',
    sends: { role: 'upstreams', to: ['http', 'pool'], protocols: ['http'] },
    forwards: true,
    internet: 'when-facing',
    traceEndpoint: true,
    securityGroups: true,
    ephemeralPorts: WIDE_EPHEMERAL,
    tls: true,
  },
  references: [ruleUpstreams, gatewayUpstreams, securityGroupsReference<z.output<ReturnType<typeof nodeSchema>>>()],
  initial: {},
});
