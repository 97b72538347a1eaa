import type { ApiClient } from '../../core/api/contract/index.js';
import { createBridgeClient, isBridge } from './bridge.js';
import { createHttpClient } from './http.js';

export { createBridgeClient, isBridge, type TopolabBridgeLike } from './bridge.js';
export { createHttpClient, type HttpApiClient, type HttpClientOptions, type WebSocketConstructor, type WebSocketLike } from './http.js';
export { unwrapReply } from './reply.js';

/** Where the renderer runs: the globals that decide the transport. */
export interface ClientEnvironment {
  topolab?: unknown;
  location?: { origin: string };
}

/**
 * Picks the transport once, at start: the Electron preload's `window.topolab` when present,
 * otherwise HTTP + WebSocket to the server the page came from (`topolab serve`).
 */
export function createApiClient(env: ClientEnvironment = globalThis as ClientEnvironment): ApiClient {
  if (isBridge(env.topolab)) return createBridgeClient(env.topolab);
  if (!env.location || !/^https?:/.test(env.location.origin)) {
    throw new Error('no Topolab service: not inside the desktop app and not served over HTTP');
  }
  return createHttpClient({ baseUrl: `${env.location.origin}/` });
}

let shared: ApiClient | undefined;

/** The app's one client (created on first use). */
export function getApiClient(): ApiClient {
  shared ??= createApiClient();
  return shared;
}
