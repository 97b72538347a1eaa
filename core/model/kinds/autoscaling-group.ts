import { z } from 'zod';
import { INERT, defineKind } from './descriptor.js';
import { LINUX_EPHEMERAL, securityGroupFields, securityGroupsReference } from './filters.js';
import { baseFields, IdSchema, ServerTemplateSchema, TargetTrackingSchema } from './fields.js';
import { idListReference } from './references.js';

export const AutoscalingGroupNodeSchema = z.strictObject({
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
  schema: AutoscalingGroupNodeSchema,
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
  references: [idListReference<z.output<typeof AutoscalingGroupNodeSchema>>('subnets', 'subnet', (target) => target.kind === 'subnet'), securityGroupsReference<z.output<typeof AutoscalingGroupNodeSchema>>()],
  initial: { min: 1, max: 4, desired: 2 },
});
