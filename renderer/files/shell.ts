import { apiClient } from '../lib/api.js';

/**
 * The desktop shell's own methods (`app.*`, docs/desktop.md), answered by its main process
 * and not part of the core contract. `null` outside the desktop app (a browser on
 * `topolab serve`), where the page does without them.
 */
export function shellCall(method: `app.${string}`, input: unknown): Promise<unknown> | null {
  if (typeof window === 'undefined' || !('topolab' in window)) return null;
  const api = apiClient() as unknown as { call(method: string, input: unknown): Promise<unknown> } | null;
  return api ? api.call(method, input) : null;
}
