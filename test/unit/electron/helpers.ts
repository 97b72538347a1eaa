/** Shared fakes for the desktop-shell unit tests: Node's MessageChannel as the lab's port. */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { PortLike } from '../../../electron/lab/protocol.js';

/** Adapts a Node MessagePort to the shell's PortLike (the app adapts Electron's MessagePortMain). */
export function nodePort(port: MessagePort): PortLike {
  return {
    postMessage: (message) => port.postMessage(message),
    onMessage: (listener) => port.on('message', listener),
    close: () => port.close(),
  };
}

/** A connected pair of PortLikes. */
export function portPair(): { a: PortLike; b: PortLike; close(): void } {
  const { port1, port2 } = new MessageChannel();
  return { a: nodePort(port1), b: nodePort(port2), close: () => (port1.close(), port2.close()) };
}

/** The app page's frame, as the sender check sees it. */
export const APP_FRAME = { url: 'topolab://app/index.html?file=web.topolab.json', parent: null };
