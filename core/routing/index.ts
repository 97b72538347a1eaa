/** Routing: effective route tables, longest-prefix match and hop-by-hop reachability traces. Pure. */
export * from './associations.js';
export * from './tables.js';
export * from './endpoints.js';
export * from './trace.js';
export * from './filters/index.js';
