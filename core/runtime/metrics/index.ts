/** Per-service counters and latency histograms for the lab's metrics stream. */
export * from './histogram.js';
export * from './stats.js';
export * from './percentile.js';
