import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHaproxy } from '../../../core/export/haproxy/index.js';
import { renderNginx } from '../../../core/export/nginx/index.js';
import { TopologySchema } from '../../../core/model/schema.js';
import type { Topology } from '../../../core/model/types.js';
import { canConnect, expectOwnListener, get, loopbackMap, PortTakenError, startBackend, startTool, STREAM_MODULE, tempDir, type Backend, type Running } from './tools.js';

/** A value with every character nginx or HAProxy treats specially inside a header value. */
const TRICKY = `price $5 "net" 100% 'q' \\ \${x} %[src] ;}`;

const server = (id: string, last: number, weight?: number) => ({ id, kind: 'server', parent: 'net', ip: `10.50.1.${last}`, ...(weight !== undefined ? { weight } : {}) });
const lb = (id: string, last: number, algorithm: string, extra: Record<string, unknown> = {}) => ({ id, kind: 'load-balancer', parent: 'net', ip: `10.50.1.${last}`, algorithm, ...extra });

/** One design holding every balancer kind the live tests drive. */
const design: Topology = TopologySchema.parse({
  schema: 'topolab/1',
  name: 'live export check',
  nodes: [
    { id: 'vpc', kind: 'vpc', cidr: '10.50.0.0/16' },
    { id: 'net', kind: 'subnet', parent: 'vpc', cidr: '10.50.1.0/24' },
    server('s1', 11, 3),
    server('s2', 12, 1),
    server('s3', 13, 1),
    server('s4', 14),
    server('s5', 15),
    server('s6', 16),
    lb('rr', 20, 'round-robin'),
    lb('hash', 21, 'source-hash'),
    lb('weighted', 22, 'weighted-round-robin'),
    lb('checked', 23, 'round-robin', { healthCheck: { type: 'http', path: '/', intervalMs: 200, fall: 1, rise: 1 } }),
    lb('tcp', 24, 'round-robin', { layer: 4 }),
    lb('sticky', 25, 'round-robin', { sticky: { cookie: 'LABSRV' } }),
    {
      id: 'gw',
      kind: 'reverse-proxy',
      parent: 'net',
      ip: '10.50.1.30',
      rules: [
        { host: 'api.test', upstreams: ['s1'], requestHeaders: { 'X-Env': TRICKY }, responseHeaders: { 'X-Back': TRICKY } },
        { pathPrefix: '/v2/', upstreams: ['s2'], rewritePrefix: '/' },
        { pathPrefix: '/', upstreams: ['s3'] },
      ],
    },
    { id: 'cdn', kind: 'cache', parent: 'net', ip: '10.50.1.40', defaultTtl: 60 },
  ],
  edges: [
    ...['s1', 's2', 's3'].flatMap((s) => ['rr', 'hash', 'weighted', 'tcp', 'sticky'].map((b) => ({ id: `${b}-${s}`, from: b, to: s }))),
    ...['s4', 's5', 's6'].map((s) => ({ id: `checked-${s}`, from: 'checked', to: s })),
    { id: 'cdn-s1', from: 'cdn', to: 's1' },
  ],
});

interface Lab {
  backends: Map<string, Backend>;
  ports: Map<string, number>;
  tool: Running;
}

async function startLab(tool: 'nginx' | 'haproxy', dir: string): Promise<Lab> {
  const backends = new Map<string, Backend>();
  const fixed: Record<string, string> = {};
  for (const id of ['s1', 's2', 's3', 's4', 's5', 's6']) {
    const backend = await startBackend(id);
    backends.set(id, backend);
    const node = design.nodes.find((n) => n.id === id) as { ip: string };
    fixed[`${node.ip}:80`] = `127.0.0.1:${backend.port}`;
  }
  const addressMap = await loopbackMap(design, fixed);
  const ports = new Map<string, number>();
  for (const node of design.nodes) {
    if ('ip' in node && node.ip !== undefined) ports.set(node.id, Number(addressMap[`${node.ip}:80`]?.split(':')[1]));
  }
  const options = { addressMap, runDir: dir, nginxModules: [STREAM_MODULE] };
  const config = tool === 'nginx' ? renderNginx(design, options) : renderHaproxy(design, options);
  let running: Running | undefined;
  try {
    running = await startTool(tool, dir, config.files[0]?.content ?? '', ports.get('gw') as number);
    // Every front end of the config, not only the one startTool waited for, is the tool's alone.
    for (const node of design.nodes) {
      const port = ports.get(node.id);
      if ((node.kind === 'load-balancer' || node.kind === 'reverse-proxy' || node.kind === 'cache') && port !== undefined && (await canConnect(port))) await expectOwnListener(running, tool, port);
    }
  } catch (error) {
    await running?.stop();
    for (const backend of backends.values()) await backend.stop();
    throw error;
  }
  return { backends, ports, tool: running };
}

/** startLab, again on new ports when another process took one of them first (a shared machine). */
async function startLabOnFreePorts(tool: 'nginx' | 'haproxy', dir: string): Promise<Lab> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startLab(tool, dir);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === 3) throw error;
      console.log(`${tool}: ${error.message.split('\n')[0]}; starting again on new ports`);
    }
  }
}

function servedBy(body: string): string {
  return (JSON.parse(body) as { id: string }).id;
}

async function countServers(port: number, n: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const reply = await get(port);
    expect(reply.status).toBe(200);
    const id = servedBy(reply.body);
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

describe.each(['nginx', 'haproxy'] as const)('%s runs the export in front of real backends', (tool) => {
  let lab: Lab;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const temp = await tempDir(`topolab-live-${tool}-`);
    cleanup = temp.cleanup;
    lab = await startLabOnFreePorts(tool, temp.dir);
  });

  afterAll(async () => {
    await lab?.tool.stop();
    for (const backend of lab?.backends.values() ?? []) await backend.stop();
    await cleanup?.();
  });

  const port = (id: string): number => lab.ports.get(id) as number;

  it('round robin spreads requests evenly', async () => {
    const counts = await countServers(port('rr'), 30);
    expect(Object.keys(counts).sort()).toEqual(['s1', 's2', 's3']);
    for (const count of Object.values(counts)) expect(count).toBe(10);
  });

  it('weighted round robin follows the weights 3:1:1', async () => {
    const counts = await countServers(port('weighted'), 50);
    expect(counts).toEqual({ s1: 30, s2: 10, s3: 10 });
  });

  it('source hash keeps each client on one server and still spreads clients', async () => {
    const chosen = new Set<string>();
    for (let client = 2; client < 22; client++) {
      const from = `127.0.0.${client}`;
      const servers = new Set<string>();
      for (let i = 0; i < 3; i++) servers.add(servedBy((await get(port('hash'), '/', { from })).body));
      expect(servers.size).toBe(1);
      chosen.add([...servers][0] as string);
    }
    expect(chosen.size).toBeGreaterThan(1);
  });

  it('sticky sessions pin a client by cookie (HAProxy: cookie insert; nginx: the cookie hashed over the servers)', async () => {
    const first = await get(port('sticky'));
    const cookie = String(first.headers['set-cookie'] ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^LABSRV=./);
    const pinned = servedBy(first.body);
    for (let i = 0; i < 6; i++) expect(servedBy((await get(port('sticky'), '/', { headers: { cookie } })).body)).toBe(pinned);
    // A client that sends its cookie back gets no new one.
    expect((await get(port('sticky'), '/', { headers: { cookie } })).headers['set-cookie']).toBeUndefined();
    // Without the cookie, new clients are still spread (HAProxy by round robin, nginx by the hash of a new id).
    const others = new Set<string>();
    for (let i = 0; i < (tool === 'nginx' ? 30 : 6); i++) others.add(servedBy((await get(port('sticky'))).body));
    if (tool === 'haproxy') expect(others.size).toBe(3);
    else expect(others.size).toBeGreaterThan(1);
  });

  it('a layer-4 balancer spreads TCP connections', async () => {
    const counts = await countServers(port('tcp'), 30);
    expect(Object.keys(counts).sort()).toEqual(['s1', 's2', 's3']);
    for (const count of Object.values(counts)) expect(count).toBe(10);
  });

  it('routes by host and path, rewrites the prefix and carries header values byte for byte', async () => {
    const api = await get(port('gw'), '/x', { host: 'api.test' });
    expect(servedBy(api.body)).toBe('s1');
    const seen = JSON.parse(api.body) as { headers: Record<string, string> };
    expect(seen.headers['x-env']).toBe(TRICKY);
    expect(api.headers['x-back']).toBe(TRICKY);
    expect(seen.headers['x-real-ip']).toBe('127.0.0.1');
    expect(seen.headers['x-forwarded-for']).toContain('127.0.0.1');
    const v2 = await get(port('gw'), '/v2/items?q=1', { host: 'other.test' });
    expect(servedBy(v2.body)).toBe('s2');
    expect((JSON.parse(v2.body) as { path: string }).path).toBe('/items?q=1');
    const rest = await get(port('gw'), '/v3', { host: 'other.test' });
    expect(servedBy(rest.body)).toBe('s3');
  });

  it('the cache answers a repeated request without the origin', async () => {
    const origin = lab.backends.get('s1') as Backend;
    const first = await get(port('cdn'), `/static/${tool}.css`);
    expect(first.status).toBe(200);
    const hitsAfterFirst = origin.hits;
    const second = await get(port('cdn'), `/static/${tool}.css`);
    expect(second.status).toBe(200);
    expect(origin.hits).toBe(hitsAfterFirst);
    expect(first.headers['x-cache']).toBe('MISS');
    expect(second.headers['x-cache']).toBe('HIT');
  });

  it('a stopped backend is avoided', async () => {
    await (lab.backends.get('s5') as Backend).stop();
    const counts = await countServers(port('checked'), 20);
    expect(counts['s5']).toBeUndefined();
    expect((counts['s4'] ?? 0) + (counts['s6'] ?? 0)).toBe(20);
  });
});
