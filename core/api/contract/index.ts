import type { z } from 'zod';
import { coreMethods } from './core.js';
import { routingMethods } from './routing.js';
import { filesEvents, filesMethods } from './files.js';
import { labEvents, labMethods } from './lab.js';
import { exportMethods } from './export.js';
import type { EventSpec, MethodSpec } from './define.js';

export * from './define.js';
export * from './errors.js';
export { coreMethods, MAX_TOPOLOGY_TEXT, TopologyInput } from './core.js';
export { filesEvents, filesMethods, type BackupEntry, type FileEntry } from './files.js';
export { labEvents, labMethods, KERNEL_FAULT_ACTIONS, LAB_FAULT_ACTIONS, LAB_MODES, LATENCY_BUCKET_BOUNDS_MS, LOAD_LIMITS, type LabMode, type LabModesResult, type LabProgressEvent, type LabStartResult } from './lab.js';
export { exportMethods, ExportOptionsInput } from './export.js';

/**
 * The one service contract, served in-process, over HTTP + WebSocket (`topolab serve`)
 * and over Electron IPC. Each area declares its methods in its own file; this merges them.
 */
export const methods = {
  ...coreMethods,
  ...routingMethods,
  ...filesMethods,
  ...labMethods,
  ...exportMethods,
} satisfies Record<string, MethodSpec>;

/** Events pushed to subscribers (lab status, metrics, logs). */
export const events = {
  ...filesEvents,
  ...labEvents,
} satisfies Record<string, EventSpec>;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = Methods[M] extends MethodSpec<z.ZodType, infer O> ? O : never;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = Events[E] extends EventSpec<infer P> ? P : never;

/** What every transport's client offers: the same two calls. */
export interface ApiClient {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /** Returns the function that unsubscribes. */
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** Whether a string names a method of the contract (for transports receiving raw names). */
export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

/** Whether a string names an event of the contract. */
export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}
