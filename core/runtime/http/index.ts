/** Shared HTTP plumbing of the lab's front ends and forwarders. */
export * from './errors.js';
export * from './forward.js';
export * from './front-end.js';
export * from './headers.js';
export * from './limits.js';
export * from './pools.js';
export * from './sockets.js';
export * from './upstream-errors.js';
