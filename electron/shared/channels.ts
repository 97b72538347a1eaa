/**
 * The IPC channels between the preload and the main process: the two of core/api's IPC
 * transport (`IPC_CHANNELS` in core/api/transports/ipc.ts; a unit test checks they are the
 * same). Repeated here so the sandboxed preload bundle does not pull in the contract.
 */
export const CHANNEL_PREFIX = 'topolab:';

/** Renderer -> main, `invoke(method, input)`, resolves with a `CallReply` (`{ result }` or `{ error }`). */
export const CALL_CHANNEL = 'topolab:call';
/** Both ways: client frames `{ subscribe }` / `{ unsubscribe }`, server frames `{ event, payload }`, acks, errors. */
export const EVENTS_CHANNEL = 'topolab:events';
