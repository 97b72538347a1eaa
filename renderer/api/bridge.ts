import { ApiError, type ApiClient, type EventName, type EventPayload, type MethodInput, type MethodName, type MethodOutput } from '../../core/api/contract/index.js';
import { unwrapReply } from './reply.js';

/**
 * What the Electron preload exposes as `window.topolab`: `call` resolves with the reply
 * frame `{ result }` or `{ error }` (so the error code survives contextBridge), and
 * `subscribe` returns the function that unsubscribes.
 */
export interface TopolabBridgeLike {
  call(method: string, input: unknown): Promise<unknown>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

/** Whether a value looks like the preload's bridge. */
export function isBridge(value: unknown): value is TopolabBridgeLike {
  return typeof value === 'object' && value !== null && typeof (value as TopolabBridgeLike).call === 'function' && typeof (value as TopolabBridgeLike).subscribe === 'function';
}

/** The API over the Electron preload bridge (or any object with the same two functions). */
export function createBridgeClient(bridge: TopolabBridgeLike): ApiClient {
  return {
    async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      let reply: unknown;
      try {
        reply = await bridge.call(method, input);
      } catch (error) {
        throw new ApiError('failed', `${method}: the desktop shell did not answer: ${error instanceof Error ? error.message : String(error)}`);
      }
      return unwrapReply(reply, method) as MethodOutput<M>;
    },
    subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      return bridge.subscribe(event, (payload) => listener(payload as EventPayload<E>));
    },
  };
}
