/** Shared HTTP plumbing of the lab's front ends and forwarders. */
export * from './authority.js';
export * from './errors.js';
export * from './forward.js';
export * from './forwardable.js';
export * from './front-end.js';
export * from './headers.js';
export * from './hygiene.js';
export * from './lab-endpoint.js';
export * from './limits.js';
export * from './pools.js';
export * from './request-target.js';
export * from './sockets.js';
export * from './upstream-errors.js';
