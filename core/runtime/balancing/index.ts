/** Balancing algorithms, target pools with health and ejection, active checks and sticky cookies. */
export * from './algorithms.js';
export * from './health.js';
export * from './pool.js';
export * from './sticky.js';
