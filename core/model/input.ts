import { z } from 'zod';
import { migrateDocument } from './migrations.js';
import { TopologyObjectSchema } from './schema.js';
import type { TopologyInput } from './types.js';

/** A document of an older version as it arrives: only its marker is known. */
export type OlderTopologyInput = { schema: `topolab/${number}` } & Record<string, unknown>;

/**
 * A topology as an API input (validate, trace, export, lab.start...): the shape of the
 * current version, after the same migration chain a file goes through. An older document
 * is upgraded first; a newer one is refused with a message that says so, at `schema`.
 * References are checked by `validate`, as for the plain object schema.
 */
export const MigratingTopologySchema = z.preprocess<unknown, typeof TopologyObjectSchema, TopologyInput | OlderTopologyInput>((value, ctx) => {
  // Not an object, or no marker: the object schema explains what is wrong.
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !('schema' in value)) return value;
  const migrated = migrateDocument(value as Record<string, unknown>);
  if (migrated.ok) return migrated.document;
  ctx.addIssue({ code: 'custom', path: migrated.path, message: migrated.message, input: value });
  return value;
}, TopologyObjectSchema);
