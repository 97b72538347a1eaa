/** The traffic generator: bounded-concurrency HTTP load with a summary per status and server. */
export * from './types.js';
export * from './sources.js';
export { runLoad, firstServer, DEFAULT_CONCURRENCY, DEFAULT_REQUESTS, MAX_CONCURRENCY } from './generator.js';
export { sendOne, type SingleRequestOptions, type SingleRequestResult } from './single.js';
