import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../../core/runtime/services/backend.js';
import { L7Balancer } from '../../../core/runtime/services/l7-balancer.js';
import type { Endpoint, HttpLimits, LabService } from '../../../core/runtime/services/types.js';
import { request, statusOf, stopAll } from './helpers.js';

/** Small timeouts so the suite stays fast; the defaults (30 s / 5 s / 60 s) are the same code with other numbers. */
const LIMITS: Required<Pick<HttpLimits, 'headerTimeoutMs' | 'bodyIdleTimeoutMs' | 'requestTimeoutMs'>> = { headerTimeoutMs: 400, bodyIdleTimeoutMs: 300, requestTimeoutMs: 1200 };
/** How late a timeout may fire on a busy 2-core machine: Node checks every tenth of the shortest timeout, plus scheduling. */
const SLACK_MS = 450;

/** Writes `first`, then `drip` every `everyMs` until the server answers or closes; resolves the answer and when it came. */
function slowClient(endpoint: Endpoint, first: string, drip: string, everyMs: number): Promise<{ status: number; ms: number; body: string }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect(endpoint.port, endpoint.host);
    let data = '';
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(first);
      if (everyMs > 0) timer = setInterval(() => socket.write(drip), everyMs);
    });
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ status: statusOf(data), ms: performance.now() - started, body: data });
    });
  });
}

const services: LabService[] = [];
let backend: Endpoint;
let lb: L7Balancer;
let front: Endpoint;

beforeAll(async () => {
  const server = new Backend({ nodeId: 'b1', ...LIMITS });
  services.push(server);
  backend = await server.start();
  lb = new L7Balancer({ nodeId: 'lb', targets: [{ nodeId: 'b1', endpoint: backend }], ...LIMITS });
  services.push(lb);
  front = await lb.start();
});
afterAll(async () => {
  await stopAll(services);
});

describe.each(['server', 'balancer'])('timeouts of a %s front end fire at their configured value', (which) => {
  const endpoint = (): Endpoint => (which === 'server' ? backend : front);

  it('a header block trickled in (slowloris) gets 408 at the header timeout', async () => {
    const answer = await slowClient(endpoint(), 'GET / HTTP/1.1\r\nHost: x\r\n', 'X-A: b\r\n', 50);
    expect(answer.status, answer.body).toBe(408);
    expect(answer.body).toContain(`within ${LIMITS.headerTimeoutMs} ms`);
    expect(answer.ms).toBeGreaterThanOrEqual(LIMITS.headerTimeoutMs - 20);
    expect(answer.ms).toBeLessThan(LIMITS.headerTimeoutMs + SLACK_MS);
  });

  it('a body that goes silent gets 408 at the body idle timeout', async () => {
    const answer = await slowClient(endpoint(), 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc', '', 0);
    expect(answer.status, answer.body).toBe(408);
    expect(answer.body).toContain('"error":"body-timeout"');
    expect(answer.ms).toBeGreaterThanOrEqual(LIMITS.bodyIdleTimeoutMs - 20);
    expect(answer.ms).toBeLessThan(LIMITS.bodyIdleTimeoutMs + SLACK_MS);
  });

  it('a body trickled just fast enough to dodge the idle timeout gets 408 at the request timeout', async () => {
    const answer = await slowClient(endpoint(), 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n', 'a', 100);
    expect(answer.status, answer.body).toBe(408);
    expect(answer.body).toContain(`within ${LIMITS.requestTimeoutMs} ms`);
    expect(answer.ms).toBeGreaterThanOrEqual(LIMITS.requestTimeoutMs - 20);
    expect(answer.ms).toBeLessThan(LIMITS.requestTimeoutMs + SLACK_MS);
  });

  it('keeps serving afterwards, and no timeout counts against the upstream', async () => {
    expect((await request(endpoint(), '/')).status).toBe(200);
    if (which === 'balancer') expect(lb.metrics().upstreams?.['b1']).toMatchObject({ healthy: true, failures: 0, active: 0 });
  });
});
