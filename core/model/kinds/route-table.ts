import type { z } from 'zod';
import type { SchemaKit } from './schema-kit.js';
import { INERT, defineKind, type NodeReference } from './descriptor.js';
import { EACH } from './reference-path.js';
import { declareReference, idListReference } from './references.js';

/** The schema of a node of this kind, built from the kit by node-schemas.ts. */
const nodeSchema = ({ z, IdSchema, RouteSchema, baseFields }: SchemaKit) =>
  z.strictObject({
    ...baseFields,
    kind: z.literal('route-table'),
    /** Subnets explicitly associated with this table. */
    subnets: z.array(IdSchema).default([]),
    /** The VPC's main table: used by subnets with no explicit association. */
    main: z.boolean().optional(),
    routes: z.array(RouteSchema).default([]),
  });

type RouteTable = z.output<ReturnType<typeof nodeSchema>>;

/** Route targets that are not nodes. */
export const ROUTE_KEYWORDS = ['local', 'blackhole'] as const;

/** `routes[].target`: a node a route sends traffic to; a route whose target is gone goes too. */
const routeTargets: NodeReference<RouteTable> = declareReference<RouteTable>({
  field: 'routes',
  at: ['routes', EACH, 'target'],
  noun: 'route target',
  accepts: (target) => target.traits.routeTarget !== false,
  keywords: ROUTE_KEYWORDS,
  // The validator explains a target that names nothing, or a node no route can target.
  mustResolve: false,
  validatedBy: 'route-target-missing',
  remap(node, map) {
    let changed = false;
    const routes: RouteTable['routes'] = [];
    for (const route of node.routes) {
      const target = (ROUTE_KEYWORDS as readonly string[]).includes(route.target) ? route.target : map(route.target);
      if (target !== route.target) changed = true;
      if (target !== undefined) routes.push(target === route.target ? route : { ...route, target });
    }
    return changed ? { ...node, routes } : node;
  },
});

/** A route table: routes by longest prefix for the subnets associated with it (or all, as its VPC's main table). */
export const routeTable = defineKind({
  kind: 'route-table',
  schema: nodeSchema,
  label: 'Route table',
  idPrefix: 'rtb',
  parents: ['vpc'],
  traits: INERT,
  references: [idListReference<RouteTable>('subnets', 'associated subnet', (target) => target.kind === 'subnet', 'route-table-foreign-subnet'), routeTargets],
  initial: { subnets: [], routes: [] },
});
