import type net from 'node:net';
import type { LabResolver, LabService, ServiceEvent } from '../../services/types.js';
import type { RequestOutcome } from '../../load/types.js';
import { admitLabAddress, endpointOfUrl } from '../../http/lab-endpoint.js';
import { checkCommand, type HostCommand, type HostMessage, type RemoteSpec } from './protocol.js';
import type { StubResolver } from '../../dns/stub.js';
import type { DnsRelay } from './dns-relay.js';
import { UnixRelay, acceptAndClose, probe } from './relay.js';

/**
 * A namespace host: the Node process that lives in one node's network namespace and does
 * there what the lab asks over IPC (protocol.ts): run the node's service on its designed
 * address, relay a published entry point from a Unix socket, send load or one request as
 * the node, probe a TCP connect. A Node process cannot move a socket into another
 * namespace, so every socket of a node is opened by the host inside it. The host ends
 * when the lab disconnects (also when the lab's process was killed).
 */

let service: LabService | undefined;
let spec: RemoteSpec | undefined;
let relay: UnixRelay | undefined;
let dns: DnsRelay | undefined;
const listeners: net.Server[] = [];
const runs = new Map<number, AbortController>();

function send(message: HostMessage): void {
  if (process.connected) process.send?.(message);
}

process.on('message', (raw: unknown) => {
  const command = checkCommand(raw);
  if (typeof command === 'string') {
    const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'number' ? (raw as { id: number }).id : -1;
    send({ re: id, ok: false, error: `invalid command: ${command}` });
    return;
  }
  handle(command).then(
    (value) => send({ re: command.id, ok: true, value: value ?? null }),
    (error: unknown) => send({ re: command.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => void shutdown());

const metricsTimer = setInterval(() => {
  if (service) send({ event: 'metrics', data: service.metrics() });
}, 250);
metricsTimer.unref();
send({ event: 'ready' });

/** Admits the design addresses a command tells this host to use: its upstreams, the nodes its proxy resolves, the target of its traffic. */
function admit(command: HostCommand): void {
  const urls = (options: { url: string; viaProxyTo?: string }): void => {
    for (const text of [options.url, options.viaProxyTo]) {
      if (text === undefined) continue;
      try {
        admitLabAddress(endpointOfUrl(new URL(text)).host);
      } catch {
        // Not a URL: the request itself fails with the reason.
      }
    }
  };
  if (command.op === 'service.start') {
    for (const target of command.spec.targets) admitLabAddress(target.host);
    for (const entry of command.spec.resolver) admitLabAddress(entry.dial);
    for (const callee of command.spec.callees ?? []) admitLabAddress(callee.dial);
  } else if (command.op === 'service.call' && command.method === 'setTargets' && Array.isArray(command.args[0])) {
    for (const target of command.args[0] as { host?: unknown }[]) if (typeof target.host === 'string') admitLabAddress(target.host);
  } else if (command.op === 'load' || command.op === 'request') {
    urls(command.options);
  }
}

async function handle(command: HostCommand): Promise<unknown> {
  admit(command);
  switch (command.op) {
    case 'service.start':
      return startService(command.spec);
    case 'service.stop':
      await service?.stop();
      return null;
    case 'service.call':
      return callService(command.method, command.args);
    case 'forward.open':
      await relay?.close();
      relay = new UnixRelay(command.socket, command.host, command.port);
      await relay.listen();
      return null;
    case 'forward.close':
      await relay?.close();
      relay = undefined;
      return null;
    case 'listen':
      listeners.push(await acceptAndClose(command.host, command.port));
      return null;
    case 'probe':
      return probe(command.host, command.port, command.timeoutMs, typeof command.localPort === 'number' ? command.localPort : undefined);
    case 'load':
      return load(command.id, command.options);
    case 'request': {
      const { sendOne } = await import('../../load/single.js');
      const controller = new AbortController();
      runs.set(command.id, controller);
      try {
        return await sendOne({ ...command.options, signal: controller.signal });
      } finally {
        runs.delete(command.id);
      }
    }
    case 'cancel':
      runs.get(command.run)?.abort();
      return null;
    case 'dns.listen': {
      const { DnsRelay } = await import('./dns-relay.js');
      await dns?.stop();
      dns = new DnsRelay(command.host, command.port, (data) => send({ event: 'dns', data }));
      return dns.start();
    }
    case 'dns.answer':
      dns?.answer(command.query, typeof command.message === 'string' ? Buffer.from(command.message, 'base64') : undefined);
      return null;
    case 'shutdown':
      setImmediate(() => void shutdown());
      return null;
  }
}

async function startService(next: RemoteSpec): Promise<unknown> {
  if (!service) {
    const { createHostService } = await import('./services.js');
    spec = next;
    service = await createHostService(
      {
        nodeId: next.id,
        id: next.id,
        role: next.role,
        address: { ip: next.host, port: next.port },
        upstreams: [],
        published: false,
        port: next.port,
        ...optional(next),
      },
      {
        // The kernel routes and filters: the service connects and the kernel decides.
        gate: () => ({ allowed: true }),
        resolver: resolverOf(next),
        // A server's calls go to the callee's designed address on the edge's port; the kernel routes and filters them.
        locate: (nodeId, port) => {
          const callee = next.callees?.find((c) => c.nodeId === nodeId);
          return callee ? { host: callee.dial, port } : undefined;
        },
        // Names resolve through the VPC's resolver at base + 2, over real DNS, as the node's own stub resolver would.
        resolveName: next.dns === undefined ? () => Promise.resolve([]) : stubOf(next.dns, next.host),
        onEvent: (event: ServiceEvent) => send({ event: 'service', data: event }),
        targets: next.targets.map((t) => ({ nodeId: t.nodeId, endpoint: { host: t.host, port: t.port }, ...(t.weight !== undefined ? { weight: t.weight } : {}), ...(t.group !== undefined ? { group: t.group } : {}) })),
        host: next.host,
        ...(next.cwd !== undefined ? { cwd: next.cwd } : {}),
        ...(next.designFolder !== undefined ? { designFolder: next.designFolder } : {}),
      },
    );
  }
  return service.start();
}

/** Resolves names through the resolver at `server`:53 from the node's own address, with one cache for the host (a stub resolver). */
function stubOf(server: string, own: string): (name: string) => Promise<string[]> {
  admitLabAddress(server);
  let stub: Promise<StubResolver> | undefined;
  return async (name) => {
    stub ??= import('../../dns/stub.js').then(({ StubResolver }) => new StubResolver({ server: { host: server, port: 53 }, bindAddress: own }));
    return (await (await stub).lookup(name)).addresses;
  };
}

/** The optional planned fields of a spec, without `undefined` values. */
function optional(next: RemoteSpec): Record<string, unknown> {
  const { backend, algorithm, healthCheck, sticky, maxBodyBytes, timeoutMs, maxBytes, defaultTtl, allow, deny, rules, gateway } = next;
  return Object.fromEntries(Object.entries({ backend, algorithm, healthCheck, sticky, maxBodyBytes, timeoutMs, maxBytes, defaultTtl, allow, deny, rules, gateway }).filter(([, v]) => v !== undefined));
}

/** The forward proxy's view of the lab: designed addresses and node ids, dialled as this node reaches them. */
function resolverOf(next: RemoteSpec): LabResolver {
  return (host, port) => {
    const name = host.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
    for (const entry of next.resolver) {
      const byAddress = entry.ip === name && port === entry.port;
      const byName = entry.nodeId.toLowerCase() === name && (port === entry.port || port === 80);
      if (byAddress || byName) return { nodeId: entry.nodeId, endpoint: { host: entry.dial, port: entry.port } };
    }
    return undefined;
  };
}

async function callService(method: string, args: unknown[]): Promise<unknown> {
  if (!service || !spec) throw new Error('no service runs in this namespace');
  const target = service as unknown as Record<string, unknown>;
  const fn = target[method];
  if (typeof fn !== 'function') throw new Error(`${spec.id} (${spec.role}) has no ${method}`);
  if (method === 'setTargets') {
    const targets = (args[0] as { nodeId: string; host: string; port: number; weight?: number; group?: string }[]).map((t) => ({
      nodeId: t.nodeId,
      endpoint: { host: t.host, port: t.port },
      ...(t.weight !== undefined ? { weight: t.weight } : {}),
      ...(t.group !== undefined ? { group: t.group } : {}),
    }));
    return (fn as (t: unknown) => unknown).call(service, targets) ?? null;
  }
  return (fn as (...a: unknown[]) => unknown).apply(service, args) ?? null;
}

async function load(id: number, options: Extract<HostCommand, { op: 'load' }>['options']): Promise<unknown> {
  const { runLoad } = await import('../../load/generator.js');
  const controller = new AbortController();
  runs.set(id, controller);
  let batch: RequestOutcome[] = [];
  const flush = (): void => {
    if (batch.length === 0) return;
    send({ event: 'records', re: id, data: batch });
    batch = [];
  };
  const flusher = options.records ? setInterval(flush, 100) : undefined;
  const { records, progress, ...request } = options;
  try {
    return await runLoad({
      ...request,
      signal: controller.signal,
      ...(progress ? { onProgress: (data) => send({ event: 'progress', re: id, data }) } : {}),
      ...(records ? { onRequest: (record) => void batch.push(record) } : {}),
    });
  } finally {
    if (flusher) clearInterval(flusher);
    flush();
    runs.delete(id);
  }
}

async function shutdown(): Promise<void> {
  for (const controller of runs.values()) controller.abort();
  await Promise.allSettled([service?.stop(), relay?.close(), dns?.stop(), ...listeners.map((l) => new Promise((resolve) => l.close(resolve)))]);
  process.exit(0);
}
