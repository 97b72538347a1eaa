import type { z } from 'zod';
import type { SchemaKit } from './schema-kit.js';
import { INERT, defineKind } from './descriptor.js';
import { LINUX_EPHEMERAL, securityGroupsReference } from './filters.js';
import { idListReference } from './references.js';

/** The schema of a node of this kind, built from the kit by node-schemas.ts. */
const nodeSchema = ({ z, IdSchema, ServerTemplateSchema, TargetTrackingSchema, baseFields, securityGroupFields }: SchemaKit) =>
  z.strictObject({
    ...baseFields,
    kind: z.literal('autoscaling-group'),
    ...securityGroupFields,
    min: z.number().int().min(0).max(100),
    max: z.number().int().min(1).max(100),
    desired: z.number().int().min(0).max(100).optional(),
    template: ServerTemplateSchema.optional(),
    targetTracking: TargetTrackingSchema.optional(),
    /** Further subnets the group spreads over, besides its parent. */
    subnets: z.array(IdSchema).optional(),
  });

/**
 * An auto-scaling group: identical server instances in its subnets, reached as a pool
 * through a balancer, proxy or cache in front of it (it has no address of its own). Its
 * edges are its instances' dependencies: every instance calls them, as a server does.
 */
export const autoscalingGroup = defineKind({
  kind: 'autoscaling-group',
  schema: nodeSchema,
  label: 'Auto-scaling group',
  idPrefix: 'asg',
  parents: ['subnet'],
  traits: {
    ...INERT,
    container: { width: 240, height: 144 },
    receives: 'pool',
    sends: { role: 'dependencies', to: ['http'], protocols: ['http', 'tcp'] },
    calls: true,
    internet: 'public-address',
    traceEndpoint: true,
    securityGroups: true,
    ephemeralPorts: LINUX_EPHEMERAL,
  },
  references: [idListReference<z.output<ReturnType<typeof nodeSchema>>>('subnets', 'subnet', (target) => target.kind === 'subnet'), securityGroupsReference<z.output<ReturnType<typeof nodeSchema>>>()],
  initial: { min: 1, max: 4, desired: 2 },
});
