/** The topology model: kinds, schema, types, loading and migrations. Pure; safe in the renderer. */
export * from './kinds.js';
export * from './schema.js';
export * from './types.js';
export * from './migrations.js';
export * from './input.js';
export * from './load.js';
export * from './parsed.js';
export * from './queries.js';
export * from './addresses.js';
export * from './forwarding.js';
export * from './edges.js';
export * from './ports.js';
export * from './dns-names.js';
export * from './dns.js';
