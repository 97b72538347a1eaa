/** Routing: effective route tables, longest-prefix match and hop-by-hop reachability traces. Pure. */
export * from './tables.js';
