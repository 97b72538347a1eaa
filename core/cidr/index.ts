/** CIDR math: strict parsing, containment, overlaps, planning, address info. Pure; IPv4 and IPv6. */
export * from './address.js';
export * from './block.js';
export * from './providers.js';
export * from './ranges.js';
export * from './info.js';
export * from './sweep.js';
export * from './plan.js';
