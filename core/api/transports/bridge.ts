import type { CallReply, ClientEventFrame, ServerEventFrame } from './frames.js';

/**
 * What the Electron preload exposes as `window.topolab` (and what the in-memory IPC of the
 * tests exposes): the contract's two calls, over frames. `call` resolves with the reply
 * frame (never rejects for an API error, so its code survives contextBridge).
 */
export interface TopolabBridge {
  call(method: string, input: unknown): Promise<CallReply>;
  /** Returns the function that unsubscribes. */
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

/** The raw IPC operations a bridge is built on (ipcRenderer in the preload, an in-memory pair in tests). */
export interface BridgePort {
  invoke(method: string, input: unknown): Promise<CallReply>;
  post(frame: ClientEventFrame): void;
  onFrame(listener: (frame: ServerEventFrame) => void): void;
}

/**
 * Builds the bridge from raw IPC: one subscription per event on the wire however many
 * listeners the page adds, unsubscribed when the last one goes. Pure, so the preload can
 * bundle it: `contextBridge.exposeInMainWorld('topolab', createBridge({ invoke: (m, i) =>
 * ipcRenderer.invoke(IPC_CHANNELS.call, m, i), post: (f) => ipcRenderer.send(IPC_CHANNELS.events, f),
 * onFrame: (l) => ipcRenderer.on(IPC_CHANNELS.events, (_e, f) => l(f)) }))`.
 */
export function createBridge(port: BridgePort): TopolabBridge {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  port.onFrame((frame) => {
    if (!('event' in frame)) return;
    for (const listener of listeners.get(frame.event) ?? []) {
      try {
        listener(frame.payload);
      } catch {
        // One failing listener must not starve the others.
      }
    }
  });
  return {
    call: (method, input) => port.invoke(method, input),
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
        port.post({ subscribe: event });
      }
      // Wrap so the same function subscribed twice gets two independent subscriptions.
      const own = (payload: unknown): void => listener(payload);
      set.add(own);
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        set.delete(own);
        if (set.size === 0 && listeners.get(event) === set) {
          listeners.delete(event);
          port.post({ unsubscribe: event });
        }
      };
    },
  };
}
