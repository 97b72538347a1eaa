import type { EventPayload, MethodInput, MethodOutput, ShellEventName, ShellMethodName } from '../../core/api/contract/index.js';
import { isBridge } from '../api/index.js';
import { apiClient } from '../lib/api.js';

/**
 * Whether the page runs inside the desktop shell: only its preload exposes `window.topolab`,
 * and only the shell answers the contract's shell methods (`app.*`, over IPC).
 */
export function inDesktopShell(env: { topolab?: unknown } = globalThis as { topolab?: unknown }): boolean {
  return isBridge(env.topolab);
}

/**
 * Calls a desktop shell method of the contract. `null` outside the desktop app (a browser
 * on `topolab serve`, whose service refuses shell methods), where the page does without.
 */
export function shellCall<M extends ShellMethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> | null {
  const api = inDesktopShell() ? apiClient() : null;
  return api ? api.call(method, input) : null;
}

/** Subscribes to an event the desktop shell sends (`app.*`); a no-op outside the desktop app. */
export function shellSubscribe<E extends ShellEventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  const api = inDesktopShell() ? apiClient() : null;
  return api ? api.subscribe(event, listener) : () => undefined;
}
