/** The node kinds: one descriptor per kind under kinds/ (this module re-exports them and their tables). */
export * from './kinds/index.js';
