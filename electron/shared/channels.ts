/**
 * The IPC channels between the preload and the main process. Every channel starts with
 * `topolab:`; the preload uses these and nothing else, and a test of the built preload
 * bundle checks it.
 */
export const CHANNEL_PREFIX = 'topolab:';

/** Renderer -> main, `invoke`: `(method: string, input: unknown) => CallReply`. */
export const CALL_CHANNEL = 'topolab:call';
/** Renderer -> main, `send`: `(event: string)`; main starts forwarding that event. */
export const SUBSCRIBE_CHANNEL = 'topolab:subscribe';
/** Renderer -> main, `send`: `(event: string)`; main stops forwarding that event. */
export const UNSUBSCRIBE_CHANNEL = 'topolab:unsubscribe';
/** Main -> renderer: `(message: EventMessage)`. */
export const EVENT_CHANNEL = 'topolab:event';

/** The error body every transport carries (mirrors `ApiErrorBody` of core/api). */
export interface ErrorBody {
  code: string;
  message: string;
  issues?: { path: string; message: string }[];
}

/** What `topolab:call` resolves to: errors travel as data, since IPC drops an Error's fields. */
export type CallReply = { ok: true; value: unknown } | { ok: false; error: ErrorBody };

/** One event pushed to the renderer. */
export interface EventMessage {
  event: string;
  payload: unknown;
}
