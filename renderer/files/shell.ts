import { apiClient } from '../lib/api.js';

/** Whether the page runs inside the desktop shell (its preload exposes `window.topolab`). */
function inDesktopShell(): boolean {
  return typeof window !== 'undefined' && 'topolab' in window;
}

/**
 * The desktop shell's own methods (`app.*`, docs/desktop.md), answered by its main process
 * and not part of the core contract. `null` outside the desktop app (a browser on
 * `topolab serve`), where the page does without them.
 */
export function shellCall(method: `app.${string}`, input: unknown): Promise<unknown> | null {
  if (!inDesktopShell()) return null;
  const api = apiClient() as unknown as { call(method: string, input: unknown): Promise<unknown> } | null;
  return api ? api.call(method, input) : null;
}

/** Subscribes to an event the desktop shell sends (`app.*`); a no-op outside the desktop app. */
export function shellSubscribe(event: `app.${string}`, listener: (payload: unknown) => void): () => void {
  if (!inDesktopShell()) return () => undefined;
  const api = apiClient() as unknown as { subscribe(event: string, listener: (payload: unknown) => void): () => void } | null;
  return api ? api.subscribe(event, listener) : () => undefined;
}
