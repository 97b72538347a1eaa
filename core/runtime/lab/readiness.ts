import { request } from 'node:http';
import { connect } from 'node:net';
import type { HealthCheck } from '../../model/types.js';
import type { Endpoint } from '../services/types.js';

/** Defaults of the readiness check a new auto-scaling instance passes before it joins. */
const DEFAULT_INTERVAL_MS = 200;
const DEFAULT_TIMEOUT_MS = 1000;
const DEFAULT_RISE = 2;

/**
 * Resolves once `endpoint` passes `rise` consecutive health checks (the balancer's own
 * check when it has one: HTTP path and expected status, or a TCP connect); rejects when
 * `signal` aborts or after `deadlineMs`. Leaves no timer or socket behind either way.
 */
export async function waitUntilHealthy(endpoint: Endpoint, check: HealthCheck | undefined, signal: AbortSignal, deadlineMs = 30_000): Promise<number> {
  const interval = check?.intervalMs ?? DEFAULT_INTERVAL_MS;
  const timeout = check?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const rise = check?.rise ?? DEFAULT_RISE;
  const started = Date.now();
  let passed = 0;
  let attempts = 0;
  while (passed < rise) {
    if (signal.aborted) throw new Error('cancelled');
    if (Date.now() - started > deadlineMs) throw new Error(`did not pass ${rise} health checks within ${deadlineMs} ms`);
    attempts++;
    const ok = check?.type === 'tcp' ? await tcpCheck(endpoint, timeout) : await httpCheck(endpoint, check?.path ?? '/health', check?.expectStatus, timeout);
    passed = ok ? passed + 1 : 0;
    if (passed < rise) await pause(interval, signal);
  }
  return attempts;
}

/** Whether a status code is in an `expectStatus` range such as "200-399" (default 200-399). */
export function statusExpected(code: number, expect: string | undefined): boolean {
  const [low, high] = (expect ?? '200-399').split('-').map(Number);
  return code >= (low ?? 200) && code <= (high ?? low ?? 399);
}

function httpCheck(endpoint: Endpoint, path: string, expect: string | undefined, timeout: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: endpoint.host, port: endpoint.port, path, method: 'GET', agent: false, timeout, headers: { connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(statusExpected(res.statusCode ?? 0, expect)));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

function tcpCheck(endpoint: Endpoint, timeout: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: endpoint.host, port: endpoint.port, timeout });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
