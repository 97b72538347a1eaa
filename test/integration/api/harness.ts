// Opens the service behind each transport, so one suite can run the same calls against all
// of them. Other areas' integration tests can import TRANSPORTS to check their methods too.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { ApiClient } from '../../../core/api/contract/index.js';
import { createService, type ServiceOptions, type TopolabService } from '../../../core/api/service.js';
import { startHttpServer, type RunningHttpServer } from '../../../core/api/transports/http.js';
import { createMemoryIpc } from '../../../core/api/transports/memory-ipc.js';
import { createBridgeClient } from '../../../renderer/api/bridge.js';
import { createHttpClient, type WebSocketConstructor } from '../../../renderer/api/http.js';

/** One open transport: the client a user of that edge would hold, and the service behind it. */
export interface OpenTransport {
  client: ApiClient;
  service: TopolabService;
  /** Set for the HTTP transport. */
  http?: RunningHttpServer;
  close(): Promise<void>;
}

/** A way to reach the service. */
export interface TransportKind {
  name: 'in-process' | 'http' | 'ipc';
  open(options: ServiceOptions): Promise<OpenTransport>;
}

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

