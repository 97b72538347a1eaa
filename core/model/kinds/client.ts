import type { z } from 'zod';
import type { SchemaKit } from './schema-kit.js';
import { INERT, defineKind } from './descriptor.js';
import { LINUX_EPHEMERAL, securityGroupsReference } from './filters.js';

/** The schema of a node of this kind, built from the kit by node-schemas.ts. */
const nodeSchema = ({ z, addressFields, baseFields, securityGroupFields }: SchemaKit) =>
  z.strictObject({
    ...baseFields,
    ...addressFields,
    kind: z.literal('client'),
    ...securityGroupFields,
  });

/**
 * A client: a traffic source on the internet (top level) or in a subnet. It sends to one
 * address at a time: a plain HTTP listener, or a forward proxy it uses as its proxy; never
 * to an auto-scaling group, which has no single address.
 */
export const client = defineKind({
  kind: 'client',
  schema: nodeSchema,
  label: 'Client',
  idPrefix: 'client',
  parents: [null, 'subnet'],
  defaultPort: 0,
  traits: { ...INERT, addressable: true, sends: { role: 'entry points', to: ['http', 'proxy'], protocols: ['http', 'tcp'] }, internet: 'public-address', traceEndpoint: true, securityGroups: true, ephemeralPorts: LINUX_EPHEMERAL },
  references: [securityGroupsReference<z.output<ReturnType<typeof nodeSchema>>>()],
  initial: {},
});
