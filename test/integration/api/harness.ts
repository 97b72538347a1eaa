// Opens the service behind each transport, so one suite can run the same calls against all
// of them. Other areas' integration tests can import TRANSPORTS to check their methods too.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { MessageChannel } from 'node:worker_threads';
import type { ApiClient, EventPayload, MethodParsedInput, ShellEventName, ShellMethodName } from '../../../core/api/contract/index.js';
import { createService, type ServiceOptions, type ShellHandlers, type TopolabService } from '../../../core/api/service.js';
import { createBridge } from '../../../core/api/transports/bridge.js';
import type { ServerEventFrame } from '../../../core/api/transports/frames.js';
import { startHttpServer, type RunningHttpServer } from '../../../core/api/transports/http.js';
import { createMemoryIpc } from '../../../core/api/transports/memory-ipc.js';
import { LabPortClient, serveOverPort, type PortLike } from '../../../electron/lab/protocol.js';
import { handleCall, handleEventFrame, type IpcDeps, type WindowEndpoint } from '../../../electron/main/ipc.js';
import { createBridgeClient } from '../../../renderer/api/bridge.js';
import { createHttpClient, type WebSocketConstructor } from '../../../renderer/api/http.js';

/** One open transport: the client a user of that edge would hold, and the service behind it. */
export interface OpenTransport {
  client: ApiClient;
  service: TopolabService;
  /** Set for the HTTP transport. */
  http?: RunningHttpServer;
  /** Set for the desktop shell's IPC, the one transport that answers the shell methods (`app.*`). */
  shell?: DesktopShellEnd;
  close(): Promise<void>;
}

/** The shell's end of the desktop transport: what its handlers received, and its events. */
export interface DesktopShellEnd {
  calls: { method: ShellMethodName; input: MethodParsedInput<ShellMethodName> }[];
  /** Sends a shell event to the page, as the main process does (to subscribers or not). */
  emit<E extends ShellEventName>(event: E, payload: EventPayload<E>): void;
}

/** A way to reach the service. */
export interface TransportKind {
  name: 'in-process' | 'http' | 'ipc' | 'desktop';
  open(options: ServiceOptions): Promise<OpenTransport>;
}

/** The app page's frame, as the desktop shell's sender check sees it. */
const APP_PAGE = { sender: { id: 1 }, senderFrame: { url: 'topolab://app/index.html', parent: null } };

/** A Node MessagePort as the lab protocol's port. */
function portOf(port: MessagePort): PortLike {
  return { postMessage: (message) => port.postMessage(message), onMessage: (listener) => port.on('message', listener), close: () => port.close() };
}
type MessagePort = InstanceType<typeof MessageChannel>['port1'];

/** Every transport of GUIDE.md section 2, each through the client the app really uses. */
export const TRANSPORTS: readonly TransportKind[] = [
  {
    name: 'in-process',
    async open(options) {
      const service = createService(options);
      return { client: service, service, close: () => service.close() };
    },
  },
  {
    name: 'http',
    async open(options) {
      const service = createService(options);
      const http = await startHttpServer({ service, rendererRoot: join(tmpdir(), 'topolab-no-renderer-here'), port: 0 });
      const client = createHttpClient({ baseUrl: http.url, WebSocket: WebSocket as unknown as WebSocketConstructor });
      return {
        client,
        service,
        http,
        close: async () => {
          client.close();
          await http.close();
          await service.close();
        },
      };
    },
  },
  {
    name: 'ipc',
    async open(options) {
      const service = createService(options);
      const ipc = createMemoryIpc(service);
      return {
        client: createBridgeClient(ipc.bridge),
        service,
        close: async () => {
          ipc.close();
          await service.close();
        },
      };
    },
  },
  {
    // The desktop app's path: the page's bridge -> the main process's `topolab:` handlers
    // (sender check, shell methods answered there) -> the window's lab process over a
    // MessagePort (electron/lab/protocol.ts) -> the service. Electron itself is left out.
    name: 'desktop',
    async open(options) {
      const service = createService(options);
      const { port1, port2 } = new MessageChannel();
      serveOverPort(service, portOf(port2));
      const toPage: ((frame: ServerEventFrame) => void)[] = [];
      const send = (frame: ServerEventFrame): void => {
        const copy = structuredClone(frame);
        setImmediate(() => toPage.forEach((listener) => listener(copy)));
      };
      const calls: DesktopShellEnd['calls'] = [];
      const shell: ShellHandlers = {
        'app.changed': (input) => (calls.push({ method: 'app.changed', input }), null),
        'app.closeReply': (input) => (calls.push({ method: 'app.closeReply', input }), null),
      };
      const endpoint: WindowEndpoint = { shell, lab: new LabPortClient(portOf(port1), send), send, shellSubscriptions: new Set() };
      const deps: IpcDeps = { endpointFor: () => endpoint, log: () => {} };
      const bridge = createBridge({
        invoke: (method, input) => handleCall(deps, APP_PAGE, method, structuredClone(input)).then((reply) => structuredClone(reply)),
        post: (frame) => handleEventFrame(deps, APP_PAGE, structuredClone(frame)),
        onFrame: (listener) => toPage.push(listener),
      });
      return {
        client: createBridgeClient(bridge),
        service,
        shell: { calls, emit: (event, payload) => send({ event, payload }) },
        close: async () => {
          port1.close();
          await service.close();
        },
      };
    },
  },
];

/** A fresh temp folder; remove it with `removeFolder`. */
export function tempFolder(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export function removeFolder(path: string): Promise<void> {
  return rm(path, { recursive: true, force: true });
}

/** Resolves with the rejection of a promise that must reject (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<{ code?: string; message: string; issues?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string; issues?: unknown };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

