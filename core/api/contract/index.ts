import type { z } from 'zod';
import { ApiError } from './errors.js';
import { coreMethods } from './core.js';
import { routingMethods } from './routing.js';
import { filesEvents, filesMethods } from './files.js';
import { importMethods } from './import.js';
import { labEvents, labMethods } from './lab.js';
import { exportMethods } from './export.js';
import { shellEvents, shellMethods } from './shell.js';
import type { EventSpec, MethodSpec } from './define.js';

export * from './define.js';
export * from './check.js';
export * from './errors.js';
export { coreMethods, MAX_TOPOLOGY_TEXT, TopologyInput } from './core.js';
export { filesEvents, filesMethods, type BackupEntry, type FileEntry } from './files.js';
export { labEvents, labMethods, KERNEL_FAULT_ACTIONS, LAB_FAULT_ACTIONS, LAB_MODES, LOAD_LIMITS, type LabMode, type LabModesResult } from './lab.js';
export * from './lab-results.js';
export { exportMethods, ExportOptionsInput } from './export.js';
export { importMethods, type ImportResult } from './import.js';
export { MENU_COMMANDS, MenuEventSchema, CloseRequestSchema, shellEvents, shellMethods, type CloseRequest, type LabMenuCommand, type MenuCommand, type MenuEvent } from './shell.js';

/**
 * The one contract, served in-process, over HTTP + WebSocket (`topolab serve`) and over
 * Electron IPC. Each area declares its methods in its own file; this merges them. The
 * desktop shell's methods (`app.*`, `servedBy: 'shell'`) are part of it: the shell answers
 * them over IPC, and every other transport refuses them.
 */
export const methods = {
  ...coreMethods,
  ...routingMethods,
  ...filesMethods,
  ...labMethods,
  ...exportMethods,
  ...importMethods,
  ...shellMethods,
} satisfies Record<string, MethodSpec>;

/** Events pushed to subscribers (files, lab status, metrics, logs; the shell's menu and close prompt). */
export const events = {
  ...filesEvents,
  ...labEvents,
  ...shellEvents,
} satisfies Record<string, EventSpec>;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
/** The methods the desktop shell answers (over IPC only). */
export type ShellMethodName = keyof typeof shellMethods;
/** The methods the core service answers, on every transport. */
export type ServiceMethodName = Exclude<MethodName, ShellMethodName>;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = Methods[M] extends MethodSpec<z.ZodType, infer O> ? O : never;

export type Events = typeof events;
export type EventName = keyof Events;
/** The events the desktop shell sends (over IPC only). */
export type ShellEventName = keyof typeof shellEvents;
/** The events the core service sends, on every transport. */
export type ServiceEventName = Exclude<EventName, ShellEventName>;
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

/** Whether a method is the desktop shell's (answered over its IPC only). */
export function isShellMethod(name: string): name is ShellMethodName {
  return isMethodName(name) && methods[name].servedBy === 'shell';
}

/** Whether an event is the desktop shell's (sent over its IPC only). */
export function isShellEvent(name: string): name is ShellEventName {
  return isEventName(name) && events[name].servedBy === 'shell';
}

/** The error every transport but the desktop shell's IPC gives for a shell method or event. */
export function shellOnlyError(name: string, what: 'method' | 'event'): ApiError {
  return new ApiError(
    what === 'method' ? 'unknown-method' : 'bad-input',
    what === 'method'
      ? `"${name}" is a desktop shell method: only the desktop app answers it, over its IPC bridge (not the core service or topolab serve)`
      : `"${name}" is a desktop shell event: only the desktop app sends it, over its IPC bridge (not the core service or topolab serve)`,
  );
}
