/**
 * The main side of the bridge: every `topolab:` message is checked for where it came
 * from (the app's own page, main frame, a window the shell made) before anything runs.
 * Shell methods (`app.*`) run here; core methods go to the window's lab process, where
 * the service checks the input against the contract's zod schema.
 */
import { isEventName, isMethodName } from '../../core/api/index.js';
import { toErrorBody } from '../lab/protocol.js';
import { CALL_CHANNEL, SUBSCRIBE_CHANNEL, UNSUBSCRIBE_CHANNEL, type CallReply } from '../shared/channels.js';
import { MENU_EVENT } from '../shared/menu-commands.js';
import { isAppPageUrl } from './security.js';
import { callShellMethod, isShellMethod, type ShellHandlers } from './shell-methods.js';

/** The frame a message came from (Electron's WebFrameMain, reduced to what is checked). */
export interface SenderFrameLike {
  readonly url: string;
  readonly parent: unknown;
}

/** The event of an IPC message, reduced to what is checked. */
export interface IpcEventLike {
  readonly sender: unknown;
  readonly senderFrame: SenderFrameLike | null | undefined;
}

/** What a window offers the bridge. */
export interface WindowEndpoint {
  shell: ShellHandlers;
  lab: {
    call(method: string, input: unknown): Promise<unknown>;
    subscribe(event: string): void;
    unsubscribe(event: string): void;
  };
}

/** What the bridge needs from the shell. */
export interface IpcDeps {
  /** The window a web contents belongs to, or undefined for anything the shell did not create. */
  endpointFor(sender: unknown): WindowEndpoint | undefined;
  log(message: string): void;
}

/** The longest method or event name accepted (the contract's are far shorter). */
const MAX_NAME = 100;
/** Events the shell itself pushes; no lab subscription is needed for them. */
const SHELL_EVENTS = new Set<string>([MENU_EVENT]);

/**
 * Why a message must be refused, or undefined when it comes from the main frame of the
 * app's own page. Sub-frames, other schemes and other pages are refused even if they
 * somehow got the preload.
 */
export function senderProblem(event: IpcEventLike): string | undefined {
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame is gone';
  if (frame.parent !== null && frame.parent !== undefined) return `a sub-frame (${frame.url}) may not call the API`;
  if (!isAppPageUrl(frame.url)) return `the page ${JSON.stringify(frame.url)} is not the app`;
  return undefined;
}

function refuse(code: string, message: string): CallReply {
  return { ok: false, error: { code, message } };
}

/** Answers one `topolab:call`. Never throws: every failure is a reply with an error body. */
export async function handleCall(deps: IpcDeps, event: IpcEventLike, method: unknown, input: unknown): Promise<CallReply> {
  const problem = senderProblem(event);
  const endpoint = problem ? undefined : deps.endpointFor(event.sender);
  if (problem || !endpoint) {
    deps.log(`refused a call of ${String(method).slice(0, MAX_NAME)}: ${problem ?? 'the sender is not a Topolab window'}`);
    return refuse('forbidden', 'this page may not call the Topolab API');
  }
  if (typeof method !== 'string' || method.length > MAX_NAME) return refuse('bad-input', 'the method must be a string naming a method');
  try {
    if (isShellMethod(method)) return { ok: true, value: await callShellMethod(endpoint.shell, method, input) };
    if (!isMethodName(method)) return refuse('unknown-method', `unknown method "${method}"`);
    return { ok: true, value: await endpoint.lab.call(method, input) };
  } catch (error) {
    const body = toErrorBody(error);
    if (body.code === 'bad-input') deps.log(`rejected input of ${method}: ${body.message}`);
    return { ok: false, error: body };
  }
}

/** Handles `topolab:subscribe` / `topolab:unsubscribe`; returns whether it was accepted. */
export function handleSubscription(deps: IpcDeps, event: IpcEventLike, name: unknown, subscribe: boolean): boolean {
  const problem = senderProblem(event);
  const endpoint = problem ? undefined : deps.endpointFor(event.sender);
  if (problem || !endpoint) {
    deps.log(`refused a subscription: ${problem ?? 'the sender is not a Topolab window'}`);
    return false;
  }
  if (typeof name !== 'string' || name.length > MAX_NAME) return false;
  if (SHELL_EVENTS.has(name)) return true;
  if (!isEventName(name)) {
    deps.log(`refused a subscription to unknown event ${JSON.stringify(name)}`);
    return false;
  }
  if (subscribe) endpoint.lab.subscribe(name);
  else endpoint.lab.unsubscribe(name);
  return true;
}

/** The slice of Electron's ipcMain the bridge registers on. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>): void;
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): void;
}

/** Registers the three `topolab:` channels. */
export function registerIpc(ipcMain: IpcMainLike, deps: IpcDeps): void {
  ipcMain.handle(CALL_CHANNEL, (event, method, input) => handleCall(deps, event, method, input));
  ipcMain.on(SUBSCRIBE_CHANNEL, (event, name) => void handleSubscription(deps, event, name, true));
  ipcMain.on(UNSUBSCRIBE_CHANNEL, (event, name) => void handleSubscription(deps, event, name, false));
}
