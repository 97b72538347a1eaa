/**
 * The types the service and its handler factories share. They live here, below both, so
 * the handlers never import the service that imports them (the layering lint keeps it so).
 */
import type { EventName, EventPayload, MethodOutput, MethodParsedInput, ServiceMethodName, ShellMethodName } from '../contract/index.js';

/** What the service was started with. Transports pass what they know. */
export interface ServiceOptions {
  /** Folder the `files.*` methods may read and write (serve DIR, the desktop's documents). */
  filesRoot?: string;
  /** Folder for backups of unsaved work (default: `.topolab-backups` inside `filesRoot`). */
  backupsRoot?: string;
}

/** Shared by every handler factory: options and the event emitter. */
export interface ServiceContext {
  options: ServiceOptions;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Registers work to run when the service closes (stop the lab, close watchers). */
  onClose(cleanup: () => Promise<void> | void): void;
}

/** The implementation of one method: its checked input to its output. */
export type Handler<M extends ServiceMethodName | ShellMethodName> = (input: MethodParsedInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M>;

/** One handler per method the core service answers; a missing one is a type error. */
export type Handlers = { [M in ServiceMethodName]: Handler<M> };

/** One handler per desktop shell method, for one window (the shell's main process implements them). */
export type ShellHandlers = { [M in ShellMethodName]: Handler<M> };
