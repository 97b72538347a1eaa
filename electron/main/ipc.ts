/**
 * The main side of the bridge: every `topolab:` message is checked for where it came from
 * (the main frame of the app's own page, in a window the shell made) before anything
 * runs, and refused and logged otherwise. The contract's shell methods and events (`app.*`,
 * `servedBy: 'shell'`) are answered here; everything else is relayed to the window's lab
 * process, where core/api's IPC transport (`handleIpcCall`, `SubscriptionSet`) checks it
 * against the contract's schemas.
 */
import { ApiError, callShellMethod, isShellEvent, isShellMethod, type ShellEventName, type ShellHandlers } from '../../core/api/index.js';
import { parseClientEventFrame, type CallReply, type ServerEventFrame } from '../../core/api/transports/frames.js';
import { CALL_CHANNEL, EVENTS_CHANNEL } from '../shared/channels.js';
import { isAppPageUrl } from './security.js';

/** The frame a message came from (Electron's WebFrameMain, reduced to what is checked). */
export interface SenderFrameLike {
  readonly url: string;
  readonly parent: unknown;
}

/** The event of an IPC message, reduced to what is checked. */
export interface IpcEventLike {
  /** The sending web contents (only its id is used, to find the window). */
  readonly sender: { readonly id: number };
  readonly senderFrame: SenderFrameLike | null | undefined;
}

/** What a window offers the bridge. */
export interface WindowEndpoint {
  shell: ShellHandlers;
  lab: {
    call(method: string, input: unknown): Promise<CallReply>;
    frame(frame: unknown): void;
  };
  /** Sends a server frame to the window's page. */
  send(frame: ServerEventFrame): void;
  /** The shell events the page subscribed to (kept up to date by the bridge). */
  readonly shellSubscriptions: Set<ShellEventName>;
}

/** What the bridge needs from the shell. */
export interface IpcDeps {
  /** The window a web contents belongs to, or undefined for anything the shell did not create. */
  endpointFor(sender: { readonly id: number }): WindowEndpoint | undefined;
  log(message: string): void;
}

/**
 * Why a message must be refused, or undefined when it comes from the main frame of the
 * app's own page. Sub-frames, other schemes and other pages are refused even if they
 * somehow got the preload.
 */
export function senderProblem(event: IpcEventLike): string | undefined {
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame is gone';
  if (frame.parent !== null && frame.parent !== undefined) return `a sub-frame (${frame.url}) may not use the API`;
  if (!isAppPageUrl(frame.url)) return `the page ${JSON.stringify(frame.url)} is not the app`;
  return undefined;
}

function trustedEndpoint(deps: IpcDeps, event: IpcEventLike, what: string): WindowEndpoint | undefined {
  const problem = senderProblem(event) ?? (deps.endpointFor(event.sender) ? undefined : 'the sender is not a Topolab window');
  if (!problem) return deps.endpointFor(event.sender);
  deps.log(`refused ${what}: ${problem}`);
  return undefined;
}

/** Answers one `topolab:call`. Never throws: every failure is an `{ error }` reply. */
export async function handleCall(deps: IpcDeps, event: IpcEventLike, method: unknown, input: unknown): Promise<CallReply> {
  const endpoint = trustedEndpoint(deps, event, `a call of ${String(method).slice(0, 100)}`);
  if (!endpoint) return { error: new ApiError('forbidden', 'this page may not use the Topolab API').toBody() };
  if (typeof method === 'string' && isShellMethod(method)) {
    try {
      return { result: await callShellMethod(endpoint.shell, method, input) };
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError('failed', error instanceof Error ? error.message : String(error));
      if (apiError.code === 'bad-input') deps.log(`rejected input of ${method}: ${apiError.message}`);
      return { error: apiError.toBody() };
    }
  }
  const reply = await endpoint.lab.call(typeof method === 'string' ? method : String(method), input);
  if ('error' in reply && reply.error.code === 'bad-input') deps.log(`rejected input of ${String(method).slice(0, 100)}: ${reply.error.message}`);
  return reply;
}

/** Handles one frame on `topolab:events` from a page: shell events are acknowledged here, the rest go to the lab. */
export function handleEventFrame(deps: IpcDeps, event: IpcEventLike, data: unknown): void {
  const endpoint = trustedEndpoint(deps, event, 'an events frame');
  if (!endpoint) return;
  const frame = parseClientEventFrame(data);
  if (typeof frame !== 'string') {
    const name = 'subscribe' in frame ? frame.subscribe : frame.unsubscribe;
    if (isShellEvent(name)) {
      if ('subscribe' in frame) endpoint.shellSubscriptions.add(name);
      else endpoint.shellSubscriptions.delete(name);
      endpoint.send('subscribe' in frame ? { subscribed: name } : { unsubscribed: name });
      return;
    }
  }
  // The lab's SubscriptionSet answers malformed frames and unknown events with an error frame.
  endpoint.lab.frame(data);
}

/** The slice of Electron's ipcMain the bridge registers on. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>): void;
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): void;
}

/** Registers the two `topolab:` channels. */
export function registerIpc(ipcMain: IpcMainLike, deps: IpcDeps): void {
  ipcMain.handle(CALL_CHANNEL, (event, method, input) => handleCall(deps, event, method, input));
  ipcMain.on(EVENTS_CHANNEL, (event, frame) => handleEventFrame(deps, event, frame));
}
