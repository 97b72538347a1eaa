import type { HealthCheck } from '../../model/types.js';
import { probe, resolveHealthCheck, type HealthSettings } from '../balancing/health.js';
import type { Endpoint } from '../services/types.js';
import type { ServiceRole } from './plan-types.js';

/** Without a balancer check: `GET /health` passing twice, 200 ms apart, each within 1 s. */
const DEFAULT_READINESS: HealthSettings = { ...resolveHealthCheck({ intervalMs: 200, rise: 2 }, 'http'), timeoutMs: 1000 };

/**
 * A balancer's health check with the type its checker assumes when none is written (a TCP
 * connect for an L4 balancer), so a new instance is probed the way that balancer will.
 */
export function balancerCheckAsProbed(role: ServiceRole, check: HealthCheck): HealthCheck {
  return check.type === undefined && role === 'l4-balancer' ? { ...check, type: 'tcp' } : check;
}

/**
 * Resolves with the number of probes once `endpoint` passes `rise` consecutive health
 * checks, probed as the balancer's own checker does (its check when it has one: HTTP path
 * and expected status, or a TCP connect); rejects when `signal` aborts or after
 * `deadlineMs`. Leaves no timer or socket behind either way.
 */
export async function waitUntilHealthy(endpoint: Endpoint, check: HealthCheck | undefined, signal: AbortSignal, deadlineMs = 30_000): Promise<number> {
  const settings = check ? resolveHealthCheck(check, 'http') : DEFAULT_READINESS;
  const { intervalMs: interval, rise } = settings;
  const started = Date.now();
  let passed = 0;
  let attempts = 0;
  while (passed < rise) {
    if (signal.aborted) throw new Error('cancelled');
    if (Date.now() - started > deadlineMs) throw new Error(`did not pass ${rise} health checks within ${deadlineMs} ms`);
    attempts++;
    const failure = await probe(settings, endpoint, signal);
    passed = failure === undefined ? passed + 1 : 0;
    if (passed < rise) await pause(interval, signal);
  }
  return attempts;
}

/** Waits `ms`, or less when `signal` aborts; never rejects and leaves no timer or listener behind. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
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
