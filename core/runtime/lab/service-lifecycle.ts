/**
 * Starting and stopping the lab's services: pinned ports checked against the plan, one
 * service created and started (the gate, the resolver, the lab's DNS and its targets wired
 * in), and every service stopped, forwarders first, then the lab's DNS.
 */
import type { LabService } from '../services/types.js';
import { messageOf, type LabContext, type Running } from './context.js';
import { LabError, type ServiceSpec } from './lab-types.js';
import type { LabPlan } from './plan-types.js';
import { resolveNameFor, watchDnsUpstreams } from './dns-hooks.js';
import { onServiceEvent } from './service-events.js';
import { targetsOf } from './targets.js';
import { certificatesFor } from './lab-tls.js';
import type { ServedCertificate } from '../http/tls-listener.js';

/** Pinned ports name services of the plan, are valid and are not pinned twice. */
export function checkPins(ctx: LabContext, plan: LabPlan): void {
  const pins = ctx.options.ports ?? {};
  const seen = new Map<number, string>();
  for (const [id, port] of Object.entries(pins)) {
    if (!plan.services.some((s) => s.nodeId === id)) throw new LabError('bad-input', `port pinned for "${id}", which is not a service of this lab`);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new LabError('bad-input', `pinned port of "${id}" must be 1..65535, got ${port}`);
    const other = seen.get(port);
    if (other) throw new LabError('bad-input', `port ${port} is pinned for both "${other}" and "${id}"`);
    seen.set(port, id);
  }
}

/** Creates and starts one service; `healthy` false leaves it `starting` (a new instance before its checks). */
export async function startService(ctx: LabContext, spec: ServiceSpec, healthy = true): Promise<Running> {
  // Its DNS-named upstreams are resolved before it starts, so its first targets are known.
  await watchDnsUpstreams(ctx, spec);
  let service: LabService;
  try {
    service = ctx.options.createService(spec, {
      gate: ctx.requireGate().gate,
      resolver: ctx.resolver,
      locate: (nodeId) => ctx.running.get(nodeId)?.endpoint,
      resolveName: resolveNameFor(ctx, spec.id),
      onEvent: (event) => onServiceEvent(ctx, event),
      targets: targetsOf(ctx, spec),
      ...withCertificates(certificatesFor(ctx, spec)),
      ...(spec.upstreamTls === true && ctx.tls !== undefined ? { upstreamCa: ctx.tls.authority.certPem } : {}),
      ...(ctx.options.cwd !== undefined ? { cwd: ctx.options.cwd } : {}),
      ...(ctx.options.designFolder !== undefined ? { designFolder: ctx.options.designFolder } : {}),
    });
  } catch (error) {
    throw new LabError('failed', `node "${spec.id}" could not start: ${messageOf(error)}`);
  }
  const running: Running = { spec, service, state: 'starting', lastRequests: 0 };
  ctx.running.set(spec.id, running);
  ctx.order.push(spec.id);
  ctx.emitNode(running);
  try {
    running.endpoint = await service.start();
    const secure = service.tlsEndpoint?.();
    if (secure !== undefined) running.tlsEndpoint = secure;
  } catch (error) {
    ctx.setNodeState(running, 'stopped', messageOf(error));
    const pinned = spec.port !== undefined ? ` (pinned port ${spec.port})` : '';
    throw new LabError('failed', `node "${spec.id}" could not start${pinned}: ${messageOf(error)}`);
  }
  if (healthy) ctx.setNodeState(running, 'healthy');
  else ctx.setNodeState(running, 'starting', 'waiting for health checks');
  if (ctx.state === 'stopping' || ctx.state === 'stopped') {
    throw new LabError('conflict', `the lab was stopped while "${spec.id}" was starting`);
  }
  return running;
}

/** Forwarders first, then what they forward to, so no request meets a closed upstream. */
export async function stopServices(ctx: LabContext): Promise<void> {
  for (const id of [...ctx.order].reverse()) {
    const running = ctx.running.get(id);
    if (!running) continue;
    await running.service.stop();
    if (running.state !== 'stopped') {
      running.state = 'stopped';
      running.reason = 'lab stopped';
      ctx.emitNode(running);
    }
  }
  // DNS last: services may resolve names until they stop.
  await ctx.dns?.stop();
}

function withCertificates(certificates: ServedCertificate[] | undefined): { certificates?: ServedCertificate[] } {
  return certificates !== undefined ? { certificates } : {};
}
