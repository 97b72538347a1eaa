import {
  ApiError,
  parseMethodInput,
  isMethodName,
  methods,
  type ApiClient,
  type EventName,
  type EventPayload,
  type MethodInput,
  type MethodName,
  type MethodOutput,
  type MethodParsedInput,
} from './contract/index.js';
import { createCoreHandlers } from './handlers/core.js';
import { createRoutingHandlers } from './handlers/routing.js';
import { createFilesHandlers } from './handlers/files.js';
import { createLabHandlers } from './handlers/lab.js';
import { createExportHandlers } from './handlers/export.js';

/** Which edge a call came through (for logs; behaviour never depends on it). */
export type Transport = 'in-process' | 'http' | 'ipc';

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
export type Handler<M extends MethodName> = (input: MethodParsedInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M>;
/** One handler per method of the contract; a missing one is a type error. */
export type Handlers = { [M in MethodName]: Handler<M> };

/**
 * The one implementation of the contract. Every input is checked against the method's
 * schema here, so each transport only has to hand over what it received.
 */
export class TopolabService implements ApiClient {
  private readonly handlers: Handlers;
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly cleanups: (() => Promise<void> | void)[] = [];
  private closed = false;

  constructor(readonly options: ServiceOptions = {}) {
    const context: ServiceContext = {
      options,
      emit: (event, payload) => this.emit(event, payload),
      onClose: (cleanup) => this.cleanups.push(cleanup),
    };
    this.handlers = {
      ...createCoreHandlers(context),
      ...createRoutingHandlers(context),
      ...createFilesHandlers(context),
      ...createLabHandlers(context),
      ...createExportHandlers(context),
    };
  }

  /** Typed call, for in-process use. */
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    return this.callUnchecked(method, input) as Promise<MethodOutput<M>>;
  }

  /** Call by name with unchecked input, as transports receive it. Rejects with `ApiError`. */
  async callUnchecked(method: string, input: unknown): Promise<unknown> {
    if (this.closed) throw new ApiError('failed', 'the service is closed');
    if (!isMethodName(method)) throw new ApiError('unknown-method', `unknown method "${method}"`);
    const parsed: unknown = parseMethodInput(method, methods[method].input, input);
    const handler = this.handlers[method] as (input: unknown) => unknown;
    try {
      return await handler(parsed);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('failed', error instanceof Error ? error.message : String(error));
    }
  }

  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.subscribeUnchecked(event, listener as (payload: unknown) => void);
  }

  /** Subscribe by name, as transports receive it. */
  subscribeUnchecked(event: string, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  private emit(event: string, payload: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        listener(payload);
      } catch {
        // A failing subscriber must not break the emitter or the other subscribers.
      }
    }
  }

  /** Stops whatever the handlers started (the lab) and refuses further calls. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const cleanup of this.cleanups.reverse()) await cleanup();
    this.listeners.clear();
  }
}

/** Creates the service; the in-process client is the service itself. */
export function createService(options: ServiceOptions = {}): TopolabService {
  return new TopolabService(options);
}
