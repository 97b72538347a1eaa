/**
 * The message protocol between the main process and a window's lab (utility) process,
 * over one MessagePort. The lab side answers with core/api's IPC transport as is
 * (`handleIpcCall` replies and `SubscriptionSet` frames), so the main process only relays.
 * Free of Electron: it runs (and is tested) over Node's MessageChannel too.
 */
import { handleIpcCall } from '../../core/api/transports/ipc.js';
import type { CallReply, ServerEventFrame } from '../../core/api/transports/frames.js';
import { SubscriptionSet } from '../../core/api/transports/subscriptions.js';
import type { TopolabService } from '../../core/api/index.js';

/** Main -> lab. */
export type ToLab = { type: 'call'; id: number; method: string; input: unknown } | { type: 'frame'; frame: unknown } | { type: 'close' };

/** Lab -> main. */
export type FromLab = { type: 'reply'; id: number; reply: CallReply } | { type: 'frame'; frame: ServerEventFrame } | { type: 'closed' };

/** The smallest port both Node's and Electron's MessagePort can be adapted to. */
export interface PortLike {
  postMessage(message: unknown): void;
  onMessage(listener: (data: unknown) => void): void;
  close(): void;
}

function isToLab(data: unknown): data is ToLab {
  if (!data || typeof data !== 'object' || !('type' in data)) return false;
  const message = data as Record<string, unknown>;
  if (message.type === 'call') return typeof message.id === 'number' && typeof message.method === 'string';
  return message.type === 'frame' || message.type === 'close';
}

/**
 * Serves a service over a port until a `close` message: calls are answered in any order
 * (each carries its id), subscription frames go through the transport's SubscriptionSet.
 * `onClosed` runs once the service has stopped everything it started (the lab), so the
 * process can exit.
 */
export function serveOverPort(service: TopolabService, port: PortLike, onClosed: () => void = () => {}): void {
  const subscriptions = new SubscriptionSet(service, (frame) => port.postMessage({ type: 'frame', frame } satisfies FromLab));
  let closing = false;
  port.onMessage((data) => {
    if (!isToLab(data) || closing) return;
    if (data.type === 'call') {
      void handleIpcCall(service, data.method, data.input).then((reply) => port.postMessage({ type: 'reply', id: data.id, reply } satisfies FromLab));
    } else if (data.type === 'frame') {
      subscriptions.handle(data.frame);
    } else {
      closing = true;
      subscriptions.close();
      void service
        .close()
        .catch(() => undefined)
        .finally(() => {
          port.postMessage({ type: 'closed' } satisfies FromLab);
          port.close();
          onClosed();
        });
    }
  });
}

/** The main side of the port: calls by id, frames to a listener, a clean close. */
export class LabPortClient {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: CallReply) => void>();
  private readonly closedWaiters: (() => void)[] = [];
  private ended: string | undefined;

  constructor(
    private readonly port: PortLike,
    private readonly onFrame: (frame: ServerEventFrame) => void,
  ) {
    port.onMessage((data) => this.receive(data as FromLab));
  }

  /** Calls a method; never rejects (errors are `{ error }` replies, as over every IPC). */
  call(method: string, input: unknown): Promise<CallReply> {
    if (this.ended) return Promise.resolve({ error: { code: 'failed', message: this.ended } });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.port.postMessage({ type: 'call', id, method, input } satisfies ToLab);
    });
  }

  /** Hands a client subscription frame to the lab's SubscriptionSet. */
  frame(frame: unknown): void {
    if (!this.ended) this.port.postMessage({ type: 'frame', frame } satisfies ToLab);
  }

  /** Asks the lab to stop everything; resolves when it confirmed (or at once if already gone). */
  close(): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      this.closedWaiters.push(resolve);
      if (this.closedWaiters.length === 1) this.port.postMessage({ type: 'close' } satisfies ToLab);
    });
  }

  /** The process went away: answer what is pending with an error, release waiters. */
  end(reason: string): void {
    if (this.ended) return;
    this.ended = reason;
    for (const resolve of this.pending.values()) resolve({ error: { code: 'failed', message: reason } });
    this.pending.clear();
    for (const resolve of this.closedWaiters.splice(0)) resolve();
  }

  private receive(message: FromLab): void {
    if (!message || typeof message !== 'object') return;
    if (message.type === 'reply') {
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.(message.reply);
    } else if (message.type === 'frame') {
      this.onFrame(message.frame);
    } else if (message.type === 'closed') {
      this.end('the lab process has stopped');
    }
  }
}
