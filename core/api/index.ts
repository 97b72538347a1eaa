/** The service contract and its implementation; transports live beside it. */
export * from './contract/index.js';
export * from './service.js';
export { callShellMethod } from './shell.js';
