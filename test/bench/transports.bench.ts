/**
 * Transport benchmark: the cost a call pays for each edge (median round trip of a small
 * call in-process, over the in-memory IPC, over HTTP with a keep-alive node:http agent (the
 * server's own cost, as a browser sees it) and with the renderer's client on Node's fetch),
 * and saving/reading a large design over HTTP (atomic write included). Targets: a small
 * HTTP call under 2 ms; a 10,000-subnet design saved and read back in under 1 s each.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { ApiClient } from '../../core/api/contract/index.js';
import { createService } from '../../core/api/service.js';
import { startHttpServer } from '../../core/api/transports/http.js';
import { createMemoryIpc } from '../../core/api/transports/memory-ipc.js';
import { serializeTopology } from '../../core/model/index.js';
import { createBridgeClient } from '../../renderer/api/bridge.js';
import { createHttpClient, type WebSocketConstructor } from '../../renderer/api/http.js';
import { median, type BenchFigure, type BenchModule } from './bench.js';
import { generatePlan } from './validate.bench.js';

const CALLS = 400;

/** Median ms of `runs` sequential awaited calls (after a warm-up of 20). */
async function medianCallMs(client: ApiClient, runs: number): Promise<number> {
  for (let i = 0; i < 20; i++) await client.call('cidr.info', { cidr: '10.0.0.0/16' });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await client.call('cidr.info', { cidr: '10.0.0.0/16' });
    times.push(performance.now() - start);
  }
  return median(times);
}

/** The same call as raw keep-alive HTTP: what the server costs without a client library's overhead. */
async function medianRawHttpMs(port: number, runs: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const body = JSON.stringify({ cidr: '10.0.0.0/16' });
  const once = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/api/call/cidr.info', method: 'POST', agent, headers: { 'Content-Type': 'application/json', Host: `127.0.0.1:${port}` } },
        (res) => {
          res.resume();
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  try {
    for (let i = 0; i < 20; i++) await once();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await once();
      times.push(performance.now() - start);
    }
    return median(times);
  } finally {
    agent.destroy();
  }
}

async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export const bench: BenchModule = {
  name: 'transports',
  async run(): Promise<BenchFigure[]> {
    const dir = await mkdtemp(join(tmpdir(), 'topolab-bench-'));
    const service = createService({ filesRoot: dir });
    const server = await startHttpServer({ service, rendererRoot: join(dir, 'no-app'), port: 0 });
    const http = createHttpClient({ baseUrl: server.url, WebSocket: WebSocket as unknown as WebSocketConstructor });
    const ipc = createMemoryIpc(service);
    try {
      const figures: BenchFigure[] = [];
      const inProcess = await medianCallMs(service, CALLS);
      const overIpc = await medianCallMs(createBridgeClient(ipc.bridge), CALLS);
      const overRawHttp = await medianRawHttpMs(server.port, CALLS);
      const overHttpClient = await medianCallMs(http, CALLS);
      figures.push({ case: 'cidr.info', measure: 'in-process round trip (median)', value: inProcess, unit: 'ms' });
      figures.push({ case: 'cidr.info', measure: 'in-memory IPC round trip (median)', value: overIpc, unit: 'ms' });
      figures.push({ case: 'cidr.info', measure: 'HTTP keep-alive round trip (median)', value: overRawHttp, unit: 'ms', target: '< 2 ms', ok: overRawHttp < 2 });
      figures.push({ case: 'cidr.info', measure: 'HTTP via renderer client on Node fetch (median)', value: overHttpClient, unit: 'ms' });

      const text = serializeTopology(generatePlan(10_000));
      const megabytes = Buffer.byteLength(text) / 1024 / 1024;
      const label = `10,000 subnets (${megabytes.toFixed(1)} MB)`;
      const save = await timeMs(() => http.call('files.write', { name: 'big.topolab.json', text }));
      const read = await timeMs(() => http.call('files.read', { name: 'big.topolab.json' }));
      figures.push({ case: label, measure: 'files.write over HTTP (atomic)', value: save, unit: 'ms', target: '< 1000 ms', ok: save < 1000 });
      figures.push({ case: label, measure: 'files.read over HTTP', value: read, unit: 'ms', target: '< 1000 ms', ok: read < 1000 });
      return figures;
    } finally {
      http.close();
      ipc.close();
      await server.close();
      await service.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
