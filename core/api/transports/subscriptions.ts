import { ApiError, isEventName, isShellEvent, shellOnlyError } from '../contract/index.js';
import type { TopolabService } from '../service.js';
import { parseClientEventFrame, type ServerEventFrame } from './frames.js';

/**
 * The subscriptions of one client connection (a WebSocket, an Electron window): applies
 * its frames to the service and forwards events through `send`. Shared by both transports
 * so they accept and refuse exactly the same frames.
 */
export class SubscriptionSet {
  private readonly active = new Map<string, () => void>();

  constructor(
    private readonly service: TopolabService,
    private readonly send: (frame: ServerEventFrame) => void,
  ) {}

  /** Applies one frame (already JSON-decoded); answers with an ack or an error frame. */
  handle(data: unknown): void {
    const frame = parseClientEventFrame(data);
    if (typeof frame === 'string') {
      this.send({ error: new ApiError('bad-input', frame).toBody() });
      return;
    }
    const name = 'subscribe' in frame ? frame.subscribe : frame.unsubscribe;
    if (!isEventName(name)) {
      this.send({ error: { ...new ApiError('bad-input', `unknown event "${name}"`).toBody(), frame: name } });
      return;
    }
    if (isShellEvent(name)) {
      this.send({ error: { ...shellOnlyError(name, 'event').toBody(), frame: name } });
      return;
    }
    if ('subscribe' in frame) {
      if (!this.active.has(name)) this.active.set(name, this.service.subscribeUnchecked(name, (payload) => this.send({ event: name, payload })));
      this.send({ subscribed: name });
    } else {
      this.active.get(name)?.();
      this.active.delete(name);
      this.send({ unsubscribed: name });
    }
  }

  /** Drops every subscription (the connection closed). */
  close(): void {
    for (const unsubscribe of this.active.values()) unsubscribe();
    this.active.clear();
  }
}
