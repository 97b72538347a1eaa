/**
 * The whole bridge between the page and the rest of the app: `window.topolab` with
 * `call(method, input)` and `subscribe(event, listener)`, the same two calls every
 * transport of the core API offers. No `ipcRenderer`, no Node: the page stays sandboxed.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { CALL_CHANNEL, EVENT_CHANNEL, SUBSCRIBE_CHANNEL, UNSUBSCRIBE_CHANNEL, type CallReply, type EventMessage } from '../shared/channels.js';

const listeners = new Map<string, Set<(payload: unknown) => void>>();

ipcRenderer.on(EVENT_CHANNEL, (_event, message: EventMessage) => {
  for (const listener of listeners.get(message.event) ?? []) {
    try {
      listener(message.payload);
    } catch (error) {
      // One failing subscriber must not starve the others.
      console.error(`topolab: a listener of ${message.event} threw`, error);
    }
  }
});

async function call(method: string, input: unknown): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(CALL_CHANNEL, method, input)) as CallReply;
  // A plain `{ code, message, issues }` object: an Error would lose its fields crossing the bridge.
  if (!reply.ok) throw reply.error;
  return reply.value;
}

function subscribe(event: string, listener: (payload: unknown) => void): () => void {
  if (typeof event !== 'string' || typeof listener !== 'function') throw new TypeError('subscribe(event: string, listener: function)');
  let set = listeners.get(event);
  if (!set) {
    set = new Set();
    listeners.set(event, set);
    ipcRenderer.send(SUBSCRIBE_CHANNEL, event);
  }
  set.add(listener);
  return () => {
    const current = listeners.get(event);
    if (!current?.delete(listener) || current.size > 0) return;
    listeners.delete(event);
    ipcRenderer.send(UNSUBSCRIBE_CHANNEL, event);
  };
}

contextBridge.exposeInMainWorld('topolab', { call, subscribe });
