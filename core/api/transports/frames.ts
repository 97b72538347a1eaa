import type { ApiErrorBody } from '../contract/index.js';

/**
 * Frames of the events channel, the same for the WebSocket (`/api/events`) and Electron IPC.
 * Client -> server: `{ subscribe: name }` or `{ unsubscribe: name }`.
 * Server -> client: `{ subscribed: name }` / `{ unsubscribed: name }` acknowledgements,
 * `{ event: name, payload }` for each event, `{ error }` for a frame that was refused.
 */
export type ClientEventFrame = { subscribe: string } | { unsubscribe: string };

/** What the server sends on the events channel. */
export type ServerEventFrame = { subscribed: string } | { unsubscribed: string } | { event: string; payload: unknown } | { error: ApiErrorBody & { frame?: string } };

/** The reply to one call, the same over HTTP (as the body) and IPC: `{ result }` or `{ error }`. */
export type CallReply = { result: unknown } | { error: ApiErrorBody };

/** Parses a client frame; returns why it is refused as a string. */
export function parseClientEventFrame(data: unknown): ClientEventFrame | string {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'a frame is a JSON object: { "subscribe": "event.name" } or { "unsubscribe": "event.name" }';
  const keys = Object.keys(data);
  const record = data as Record<string, unknown>;
  if (keys.length === 1 && typeof record['subscribe'] === 'string') return { subscribe: record['subscribe'] };
  if (keys.length === 1 && typeof record['unsubscribe'] === 'string') return { unsubscribe: record['unsubscribe'] };
  return 'a frame is { "subscribe": "event.name" } or { "unsubscribe": "event.name" }';
}
