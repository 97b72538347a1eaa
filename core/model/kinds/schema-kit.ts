import { z } from 'zod';
import * as dnsSchema from './dns-schema.js';
import * as fields from './fields.js';
import * as filterSchemas from './filter-schemas.js';
import * as gatewayFields from './gateway-fields.js';
import * as tlsSchema from './tls-schema.js';

/**
 * What a kind's schema is built from: zod and the schema pieces kinds share. A descriptor
 * declares its schema as a function of this kit (`schema: ({ z, baseFields }) => ...`) and
 * imports nothing of zod but types, so the model, the validator and the loader's fast path
 * run without loading zod or building any schema (issue 12: `topolab validate` of a valid
 * file). node-schemas.ts builds every kind's schema once, on the first import of the file
 * schema (schema.ts): what a file with a problem needs to be explained.
 */
export const SCHEMA_KIT = { z, ...fields, ...filterSchemas, ...tlsSchema, ...gatewayFields, ...dnsSchema };

/** The kit a descriptor's schema function takes. */
export type SchemaKit = typeof SCHEMA_KIT;
