import { ApiError } from '../contract/index.js';
import type { TopolabService } from '../service.js';
import type { CallReply, ServerEventFrame } from './frames.js';
import { SubscriptionSet } from './subscriptions.js';

/**
 * Electron IPC channel names, all under one prefix. Main: `ipcMain.handle(IPC_CHANNELS.call,
 * (e, method, input) => handleIpcCall(service, method, input))`; `ipcMain.on(IPC_CHANNELS.events,
 * (e, frame) => subscriptionsOf(e.sender).handle(frame))`; server frames go back with
 * `webContents.send(IPC_CHANNELS.events, frame)`.
 */
export const IPC_CHANNELS = {
  call: 'topolab:call',
  events: 'topolab:events',
} as const;

/**
 * One call arriving over IPC: never rejects, so the error code survives the trip (Electron
 * turns a rejected `invoke` into a bare message). The preload's `call` should resolve with
 * this reply unchanged; the renderer's bridge client turns `{ error }` back into `ApiError`.
 */
export async function handleIpcCall(service: TopolabService, method: unknown, input: unknown): Promise<CallReply> {
  try {
    if (typeof method !== 'string') throw new ApiError('unknown-method', 'the method name must be a string');
    return { result: await service.callUnchecked(method, input) };
  } catch (error) {
    const apiError = error instanceof ApiError ? error : new ApiError('failed', error instanceof Error ? error.message : String(error));
    return { error: apiError.toBody() };
  }
}

/** The subscriptions of one IPC client (one window); call `close()` when the window goes away. */
export function createIpcSubscriptions(service: TopolabService, send: (frame: ServerEventFrame) => void): SubscriptionSet {
  return new SubscriptionSet(service, send);
}
