import {
  ApiError,
  parseMethodInput,
  isMethodName,
  isShellEvent,
  isShellMethod,
  methods,
  shellOnlyError,
  type ApiClient,
  type EventName,
  type EventPayload,
  type MethodInput,
  type MethodName,
  type MethodOutput,
  type ServiceMethodName,
} from './contract/index.js';
import type { Handlers, ServiceContext, ServiceOptions } from './handlers/types.js';
import { createCoreHandlers } from './handlers/core.js';
import { createRoutingHandlers } from './handlers/routing.js';
import { createFilesHandlers } from './handlers/files.js';
import { createLabHandlers } from './handlers/lab.js';
import { createExportHandlers } from './handlers/export.js';
import { createImportHandlers } from './handlers/import.js';

/** Which edge a call came through (for logs; behaviour never depends on it). */
export type Transport = 'in-process' | 'http' | 'ipc';

export type { Handler, Handlers, ServiceContext, ServiceOptions, ShellHandlers } from './handlers/types.js';

/**
 * The one implementation of the contract's service methods. Every input is checked against
 * the method's schema here, so each transport only has to hand over what it received. The
 * desktop shell's methods and events (`app.*`) are refused: only the shell answers them.
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
      ...createImportHandlers(context),
    };
  }

  /** Typed call, for in-process use (a shell method rejects, as on every transport but the shell's IPC). */
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    return this.callUnchecked(method, input) as Promise<MethodOutput<M>>;
  }

  /** Call by name with unchecked input, as transports receive it. Rejects with `ApiError`. */
  async callUnchecked(method: string, input: unknown): Promise<unknown> {
    if (this.closed) throw new ApiError('failed', 'the service is closed');
    if (!isMethodName(method)) throw new ApiError('unknown-method', `unknown method "${method}"`);
    if (isShellMethod(method)) throw shellOnlyError(method, 'method');
    const parsed: unknown = parseMethodInput(method, methods[method].input, input);
    const handler = this.handlers[method as ServiceMethodName] as (input: unknown) => unknown;
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

  /** Subscribe by name, as transports receive it; a shell event (`app.*`) is refused. */
  subscribeUnchecked(event: string, listener: (payload: unknown) => void): () => void {
    if (isShellEvent(event)) throw shellOnlyError(event, 'event');
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
