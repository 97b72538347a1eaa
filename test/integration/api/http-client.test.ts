// The renderer's HTTP + WebSocket client against a real server: what happens when the
// server goes away and comes back, and when it is not there at all.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { EventName, FileEntry } from '../../../core/api/contract/index.js';
import { createService, type TopolabService } from '../../../core/api/service.js';
import { startHttpServer, type RunningHttpServer } from '../../../core/api/transports/http.js';
import { createHttpClient, type HttpApiClient, type WebSocketConstructor } from '../../../renderer/api/http.js';
import { rejectionOf } from './harness.js';
import { waitUntil } from '../../support/wait.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(): Promise<{ dir: string; service: TopolabService; server: RunningHttpServer; client: HttpApiClient }> {
  const dir = await mkdtemp(join(tmpdir(), 'topolab-client-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const service = createService({ filesRoot: dir });
  cleanups.push(() => service.close());
  const server = await startHttpServer({ service, rendererRoot: join(dir, 'no-app'), port: 0 });
  cleanups.push(() => server.close());
  const client = createHttpClient({ baseUrl: server.url, WebSocket: WebSocket as unknown as WebSocketConstructor });
  cleanups.push(() => client.close());
  return { dir, service, server, client };
}

describe('the HTTP client', () => {
  it('re-subscribes after the server restarts on the same port', async () => {
    const { dir, service, server, client } = await setUp();
    const seen: FileEntry[] = [];
    client.subscribe('files.changed', (entry) => seen.push(entry));
    await client.call('files.write', { name: 'a.topolab.json', text: '1' });
    await waitUntil(() => seen.length === 1, 'the first event');

    await server.close();
    const again = await startHttpServer({ service, rendererRoot: join(dir, 'no-app'), port: server.port });
    cleanups.push(() => again.close());
    // The client reconnects on its own (back-off from 250 ms); each save after that is seen.
    let saves = 1;
    const until = Date.now() + 10_000;
    while (seen.length < 2 && Date.now() < until) {
      await client.call('files.write', { name: 'a.topolab.json', text: String(++saves) });
      await waitUntil(() => seen.length >= 2, 'an event after the restart', 300).catch(() => undefined);
    }
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)).toMatchObject({ name: 'a.topolab.json', size: String(saves).length });
  });

  it('does not hold calls back for a subscription the server refuses', async () => {
    const { client } = await setUp();
    client.subscribe('no.such.event' as EventName, () => undefined);
    const started = Date.now();
    await client.call('files.list', {});
    // The error frame settles the pending subscription; the 3 s safety wait is not used.
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('rejects with a "failed" ApiError when no server answers', async () => {
    const { server, client } = await setUp();
    await server.close();
    const error = await rejectionOf(client.call('files.list', {}));
    expect(error).toMatchObject({ name: 'ApiError', code: 'failed' });
    expect(error.message).toContain('cannot reach the Topolab service');
  });
});
