/**
 * The whole bridge between the page and the rest of the app: `window.topolab` with
 * `call(method, input)` and `subscribe(event, listener)`, built by core/api's
 * `createBridge` over two `topolab:` channels. No `ipcRenderer`, no Node: the page stays
 * sandboxed. `call` resolves with `{ result }` or `{ error: { code, message, issues? } }`
 * (an Error would lose its code crossing the context bridge).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from '../../core/api/transports/bridge.js';
import type { CallReply, ServerEventFrame } from '../../core/api/transports/frames.js';
import { CALL_CHANNEL, EVENTS_CHANNEL } from '../shared/channels.js';

const bridge = createBridge({
  invoke: (method, input) => ipcRenderer.invoke(CALL_CHANNEL, method, input) as Promise<CallReply>,
  post: (frame) => ipcRenderer.send(EVENTS_CHANNEL, frame),
  onFrame: (listener) => ipcRenderer.on(EVENTS_CHANNEL, (_event, frame: ServerEventFrame) => listener(frame)),
});

// Copy the two functions into a fresh object: nothing else of the bridge can leak through.
contextBridge.exposeInMainWorld('topolab', {
  call: (method: string, input: unknown) => bridge.call(method, input),
  subscribe: (event: string, listener: (payload: unknown) => void) => bridge.subscribe(event, listener),
});
