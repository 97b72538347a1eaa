/**
 * The message protocol between the main process and the lab's utility process, over one
 * MessagePort. Kept free of Electron so it runs (and is tested) over Node's own
 * `MessageChannel` as well as Electron's `MessageChannelMain`.
 */
import type { ErrorBody } from '../shared/channels.js';

/** Main -> lab. */
export type ToLab =
  | { type: 'call'; id: number; method: string; input: unknown }
  | { type: 'subscribe'; event: string }
  | { type: 'unsubscribe'; event: string }
  | { type: 'close' };

/** Lab -> main. */
export type FromLab =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: ErrorBody }
  | { type: 'event'; event: string; payload: unknown }
  | { type: 'closed' };

/** The smallest port both Node's and Electron's MessagePort can be adapted to. */
export interface PortLike {
  postMessage(message: unknown): void;
  onMessage(listener: (data: unknown) => void): void;
  close(): void;
}

/** What the lab serves: the core service's unchecked entry points (it validates inputs itself). */
export interface ServiceLike {
  callUnchecked(method: string, input: unknown): Promise<unknown>;
  subscribeUnchecked(event: string, listener: (payload: unknown) => void): () => void;
  close(): Promise<void>;
}

/** Turns anything thrown into the error body every transport carries. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error && typeof error === 'object' && 'code' in error && 'message' in error && typeof error.code === 'string' && typeof error.message === 'string') {
    const issues = 'issues' in error && Array.isArray(error.issues) ? (error.issues as ErrorBody['issues']) : undefined;
    return issues ? { code: error.code, message: error.message, issues } : { code: error.code, message: error.message };
  }
  return { code: 'failed', message: error instanceof Error ? error.message : String(error) };
}

function isToLab(data: unknown): data is ToLab {
  if (!data || typeof data !== 'object' || !('type' in data)) return false;
  const message = data as Record<string, unknown>;
  switch (message.type) {
    case 'call':
      return typeof message.id === 'number' && typeof message.method === 'string';
    case 'subscribe':
    case 'unsubscribe':
      return typeof message.event === 'string';
    case 'close':
      return true;
    default:
      return false;
  }
}

/**
 * Serves a service over a port until a `close` message: calls are answered in any order
 * (each carries its id), events are forwarded while subscribed. `onClosed` runs once the
 * service has stopped everything it started (the lab), so the process can exit.
 */
export function serveOverPort(service: ServiceLike, port: PortLike, onClosed: () => void = () => {}): void {
  const unsubscribers = new Map<string, () => void>();
  let closing = false;
  port.onMessage((data) => {
    if (!isToLab(data) || closing) return;
    switch (data.type) {
      case 'call':
        service.callUnchecked(data.method, data.input).then(
          (value) => port.postMessage({ type: 'result', id: data.id, ok: true, value } satisfies FromLab),
          (error: unknown) => port.postMessage({ type: 'result', id: data.id, ok: false, error: toErrorBody(error) } satisfies FromLab),
        );
        return;
      case 'subscribe':
        if (unsubscribers.has(data.event)) return;
        unsubscribers.set(
          data.event,
          service.subscribeUnchecked(data.event, (payload) => port.postMessage({ type: 'event', event: data.event, payload } satisfies FromLab)),
        );
        return;
      case 'unsubscribe':
        unsubscribers.get(data.event)?.();
        unsubscribers.delete(data.event);
        return;
      case 'close':
        closing = true;
        for (const unsubscribe of unsubscribers.values()) unsubscribe();
        unsubscribers.clear();
        void service
          .close()
          .catch(() => {})
          .finally(() => {
            port.postMessage({ type: 'closed' } satisfies FromLab);
            port.close();
            onClosed();
          });
    }
  });
}

/** The main side of the port: calls by id, events to listeners, a clean close. */
export class LabPortClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: ErrorBody) => void }>();
  private readonly closedWaiters: (() => void)[] = [];
  private ended = false;

  constructor(
    private readonly port: PortLike,
    private readonly onEvent: (event: string, payload: unknown) => void,
  ) {
    port.onMessage((data) => this.receive(data as FromLab));
  }

  /** Calls a method; rejects with an `ErrorBody`. */
  call(method: string, input: unknown): Promise<unknown> {
    if (this.ended) return Promise.reject({ code: 'failed', message: 'the lab process has stopped' } satisfies ErrorBody);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.port.postMessage({ type: 'call', id, method, input } satisfies ToLab);
    });
  }

  subscribe(event: string): void {
    if (!this.ended) this.port.postMessage({ type: 'subscribe', event } satisfies ToLab);
  }

  unsubscribe(event: string): void {
    if (!this.ended) this.port.postMessage({ type: 'unsubscribe', event } satisfies ToLab);
  }

  /** Asks the lab to stop everything; resolves when it confirmed (or at once if already gone). */
  close(): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      this.closedWaiters.push(resolve);
      if (this.closedWaiters.length === 1) this.port.postMessage({ type: 'close' } satisfies ToLab);
    });
  }

  /** The process went away: fail what is pending, release waiters. */
  end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    for (const { reject } of this.pending.values()) reject({ code: 'failed', message: reason });
    this.pending.clear();
    for (const resolve of this.closedWaiters.splice(0)) resolve();
  }

  private receive(message: FromLab): void {
    if (!message || typeof message !== 'object') return;
    if (message.type === 'result') {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(message.error);
    } else if (message.type === 'event') {
      this.onEvent(message.event, message.payload);
    } else if (message.type === 'closed') {
      this.end('the lab process has stopped');
    }
  }
}
