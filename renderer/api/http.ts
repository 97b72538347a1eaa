import { ApiError, type ApiClient, type EventName, type EventPayload, type MethodInput, type MethodName, type MethodOutput } from '../../core/api/contract/index.js';
import { unwrapReply } from './reply.js';

/** The part of the browser's WebSocket this client uses (the `ws` package offers the same, for tests under Node). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/** A WebSocket constructor (the browser's, or `ws` in Node tests). */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** The `fetch` this client uses. */
export type FetchFunction = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{ status: number; text(): Promise<string> }>;

/** Options of the HTTP + WebSocket client. */
export interface HttpClientOptions {
  /** Where `topolab serve` runs, e.g. `http://127.0.0.1:5123/` (the page's own origin in the browser). */
  baseUrl: string;
  fetch?: FetchFunction;
  WebSocket?: WebSocketConstructor;
  /** How long a call waits for pending subscriptions to be acknowledged (ms). */
  subscribeWaitMs?: number;
}

/** The HTTP + WebSocket client, with a `close()` to drop the events socket (tests, page unload). */
export interface HttpApiClient extends ApiClient {
  close(): void;
}

const OPEN = 1;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5000;

/**
 * The API over `topolab serve`: `POST /api/call/<method>` for calls and one WebSocket to
 * `/api/events` for every subscription, opened on the first subscribe, re-opened with
 * back-off after a drop (re-subscribing), closed when nothing listens.
 * A call made after `subscribe` waits (briefly) for the server to acknowledge the
 * subscription, so it sees the events it causes.
 */
export function createHttpClient(options: HttpClientOptions): HttpApiClient {
  const base = new URL(options.baseUrl);
  const doFetch: FetchFunction = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const Socket = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  const subscribeWaitMs = options.subscribeWaitMs ?? 3000;
  const eventsUrl = new URL('api/events', base);
  eventsUrl.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';

  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  /** Subscriptions sent and not yet acknowledged, with what settles them. */
  const pending = new Map<string, { promise: Promise<void>; settle: () => void }>();
  let socket: WebSocketLike | undefined;
  let reconnectDelay = RECONNECT_MIN_MS;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const settleAll = (): void => {
    for (const entry of pending.values()) entry.settle();
    pending.clear();
  };

  const sendSubscribe = (event: string): void => {
    if (!socket || socket.readyState !== OPEN) return;
    if (!pending.has(event)) {
      let settle = (): void => undefined;
      const promise = new Promise<void>((resolve) => (settle = resolve));
      pending.set(event, { promise, settle });
    }
    socket.send(JSON.stringify({ subscribe: event }));
  };

  const connect = (): void => {
    if (closed || socket || !Socket || listeners.size === 0) return;
    const ws = new Socket(eventsUrl.href);
    socket = ws;
    // Until the socket opens, subscriptions count as pending so calls wait for them.
    for (const event of listeners.keys()) {
      if (!pending.has(event)) {
        let settle = (): void => undefined;
        const promise = new Promise<void>((resolve) => (settle = resolve));
        pending.set(event, { promise, settle });
      }
    }
    ws.addEventListener('open', () => {
      reconnectDelay = RECONNECT_MIN_MS;
      for (const event of listeners.keys()) sendSubscribe(event);
    });
    ws.addEventListener('message', ({ data }) => {
      let frame: unknown;
      try {
        frame = JSON.parse(String(data));
      } catch {
        return;
      }
      if (typeof frame !== 'object' || frame === null) return;
      const record = frame as Record<string, unknown>;
      if (typeof record['event'] === 'string') {
        for (const listener of listeners.get(record['event']) ?? []) {
          try {
            listener(record['payload']);
          } catch {
            // One failing listener must not starve the others.
          }
        }
      } else if (typeof record['subscribed'] === 'string') {
        pending.get(record['subscribed'])?.settle();
        pending.delete(record['subscribed']);
      } else if (record['error'] && typeof (record['error'] as { frame?: unknown }).frame === 'string') {
        const name = (record['error'] as { frame: string }).frame;
        pending.get(name)?.settle();
        pending.delete(name);
      }
    });
    const dropped = (): void => {
      if (socket !== ws) return;
      socket = undefined;
      settleAll();
      if (closed || listeners.size === 0) return;
      reconnectTimer = setTimeout(() => {
        reconnectTimer = undefined;
        connect();
      }, reconnectDelay);
      reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MAX_MS);
    };
    ws.addEventListener('close', dropped);
    ws.addEventListener('error', dropped);
  };

  /** Waits for pending subscriptions, but never longer than `subscribeWaitMs`. */
  const subscriptionsSettled = async (): Promise<void> => {
    if (pending.size === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, subscribeWaitMs)));
    await Promise.race([Promise.all([...pending.values()].map((entry) => entry.promise)), timeout]);
    clearTimeout(timer);
  };

  return {
    async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      await subscriptionsSettled();
      const url = new URL(`api/call/${encodeURIComponent(method)}`, base).href;
      const body = JSON.stringify(input);
      let response: { status: number; text(): Promise<string> };
      let text: string;
      try {
        response = await doFetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body }) });
        text = await response.text();
      } catch (error) {
        throw new ApiError('failed', `cannot reach the Topolab service at ${base.origin}: ${error instanceof Error ? error.message : String(error)}`);
      }
      let reply: unknown;
      try {
        reply = JSON.parse(text);
      } catch {
        throw new ApiError('failed', `${method}: the service answered HTTP ${response.status} without JSON`);
      }
      return unwrapReply(reply, method) as MethodOutput<M>;
    },

    subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = listeners.get(event);
      const first = !set;
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      const own = (payload: unknown): void => listener(payload as EventPayload<E>);
      set.add(own);
      if (first) {
        if (socket) sendSubscribe(event);
        else connect();
      }
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        set.delete(own);
        if (set.size > 0 || listeners.get(event) !== set) return;
        listeners.delete(event);
        pending.get(event)?.settle();
        pending.delete(event);
        if (socket?.readyState === OPEN) socket.send(JSON.stringify({ unsubscribe: event }));
        if (listeners.size === 0) {
          const ws = socket;
          socket = undefined;
          ws?.close();
        }
      };
    },

    close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      listeners.clear();
      settleAll();
      const ws = socket;
      socket = undefined;
      ws?.close();
    },
  };
}
