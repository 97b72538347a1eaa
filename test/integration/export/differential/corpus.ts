// The request corpus of the differential test, built from the design: for every node the
// exports replace, the requests that exercise what it does (balancing, stickiness, routing
// boundaries, caching), hostile requests, and a second phase after a backend stops.
import { isSafePathPrefix, normaliseHostPattern } from '../../../../core/export/escape.js';
import { safeNormalizeRequestPath } from '../../../../core/model/request-path.js';
import type { LoadBalancerNode, ReverseProxyNode } from '../../../../core/model/types.js';
import type { DesignFacts, Entry } from './design-facts.js';
import { hostileRequests } from './hostile.js';
import type { HttpSpec, Probe, ProbeCheck } from './probes.js';

/** Paths every HTTP entry gets: segment boundaries, case, encodings and dot segments. */
const COMMON_PATHS = [
  '/',
  '/anything',
  '/admin',
  '/admin/',
  '/adminx',
  '/ADMIN',
  '/admin/x',
  '//admin/x',
  '/%61dmin/x',
  '/./admin/x',
  '/static/../admin/x',
  '/static/%2e%2e/admin/x',
  '/admin/..',
  '/admin/./x',
  '/a//b',
  '/~user',
  '/%7Euser',
  '/a%3Bb',
  '/a%20b',
  '/api',
  '/api/',
  '/apix',
  '/api/v1/items',
  '/health',
  '/anything?q=1',
  '/admin?x=1',
  '/%41PI/x',
];

/** Methods and bodies every HTTP entry gets once. */
const METHOD_PROBES: HttpSpec[] = [
  { type: 'http', method: 'HEAD', path: '/anything/head' },
  { type: 'http', method: 'POST', path: '/anything/post', body: 'a=1&b=2' },
  { type: 'http', method: 'PUT', path: '/anything/put', body: '{"x":1}' },
  { type: 'http', method: 'DELETE', path: '/anything/delete' },
  { type: 'http', method: 'PATCH', path: '/anything/patch', body: 'p' },
  { type: 'http', method: 'OPTIONS', path: '/anything/options' },
  { type: 'http', method: 'POST', path: '/anything/empty', body: '' },
  { type: 'http', method: 'GET', path: '/anything/xff', headers: { 'x-forwarded-for': '203.0.113.9' } },
  { type: 'http', method: 'GET', path: '/anything/expect', headers: { expect: '100-continue' } },
  { type: 'http', method: 'GET', path: '/anything/te', headers: { te: 'trailers', connection: 'close, te' } },
];

class Builder {
  readonly probes: Probe[] = [];
  private readonly ids = new Set<string>();

  add(entry: Entry, id: string, spec: Probe['spec'], check: ProbeCheck, extra: Partial<Pick<Probe, 'lane' | 'phase' | 'group' | 'cookies'>> = {}): void {
    let unique = `${entry.id} ${id}`;
    for (let n = 2; this.ids.has(unique); n++) unique = `${entry.id} ${id} #${n}`;
    this.ids.add(unique);
    this.probes.push({ id: unique, entry: entry.id, lane: extra.lane ?? unique, phase: extra.phase ?? 0, spec, check, ...(extra.group ? { group: extra.group } : {}), ...(extra.cookies ? { cookies: true } : {}) });
  }
}

const get = (path: string, more: Omit<HttpSpec, 'type' | 'method' | 'path'> = {}): HttpSpec => ({ type: 'http', method: 'GET', path, ...more });

/** The whole corpus of a design. */
export function buildCorpus(facts: DesignFacts): Probe[] {
  const b = new Builder();
  // Every frontend of one export gets the same request rules: the boundary, method and
  // hostile requests go to the first entry of each role (and to any with a limit of its own).
  const seenRoles = new Set<string>();
  for (const entry of facts.entries) {
    if (entry.role === 'l7-balancer' || entry.role === 'l4-balancer') balancerProbes(b, entry);
    else if (entry.role === 'reverse-proxy') proxyProbes(b, entry);
    else cacheProbes(b, entry);
    const maxBody = 'maxBodyBytes' in entry.node ? entry.node.maxBodyBytes : undefined;
    if (entry.role !== 'l4-balancer' && (!seenRoles.has(entry.role) || maxBody !== undefined)) {
      seenRoles.add(entry.role);
      const check = entry.role === 'cache' ? 'cache' : 'route';
      // Through a cache, requests for one entry (`/%7Euser` is `/~user`) share a lane, so their HIT/MISS order is fixed.
      const lane = (target: string): { lane?: string } => (entry.role === 'cache' ? { lane: `${entry.id} key ${cacheKeyOf(target)}` } : {});
      for (const path of COMMON_PATHS) b.add(entry, `GET ${path}`, get(path, { host: entry.host }), check, lane(path));
      for (const spec of METHOD_PROBES) b.add(entry, `${spec.method} ${spec.path}`, { ...spec, host: entry.host }, check, lane(spec.path));
      for (const raw of hostileRequests(entry.host)) b.add(entry, `raw ${raw.name}`, { type: 'raw', bytes: raw.bytes }, 'hostile', lane(targetOf(raw.bytes)));
      if (maxBody !== undefined) {
        const declare = (n: number): string => `POST /anything/limit HTTP/1.1\r\nHost: ${entry.host}\r\nContent-Length: ${n}\r\nConnection: close\r\n\r\n`;
        b.add(entry, 'raw body over the node limit', { type: 'raw', bytes: declare(maxBody + 1) }, 'hostile', lane('/anything/limit'));
      }
    }
    afterStop(b, entry);
  }
  return b.probes;
}

/** The path a raw request asks for (absolute-form reduced to its path). */
function targetOf(bytes: string): string {
  const target = bytes.slice(0, bytes.indexOf('\r\n')).split(' ')[1] ?? '/';
  return target.replace(/^[a-z]+:\/\/[^/]*/i, '') || '/';
}

/** The path part of a cache key under the path rule (the raw text when the rule refuses it: never stored). */
function cacheKeyOf(target: string): string {
  const path = target.split('?')[0] ?? target;
  const normal = safeNormalizeRequestPath(path);
  return normal.ok ? normal.path : path;
}

function balancerProbes(b: Builder, entry: Entry): void {
  const lb = entry.node as LoadBalancerNode;
  const n = entry.backends.length;
  if (lb.sticky !== undefined && lb.layer !== 4) {
    for (let client = 1; client <= 12; client++) {
      for (let i = 0; i < 6; i++) b.add(entry, `sticky client ${client} request ${i + 1}`, get(`/anything/sticky/${client}`), 'sticky', { lane: `${entry.id} sticky ${client}`, group: `${entry.id} sticky`, cookies: true });
    }
    return;
  }
  if (lb.algorithm === 'source-hash') {
    for (let client = 1; client <= 16; client++) {
      const from = `127.0.0.${20 + client}`;
      for (let i = 0; i < 6; i++) b.add(entry, `from ${from} request ${i + 1}`, get(`/anything/hash/${i}`, { from }), 'sticky', { lane: `${entry.id} ${from}`, group: `${entry.id} source` });
    }
    return;
  }
  const count = Math.max(130, 40 * n);
  // One at a time: the counts of round robin and weights are then exact, and least
  // connections sees only ties, which every implementation rotates.
  const lanes = lb.algorithm === 'random-two' ? 4 : 1;
  const check: ProbeCheck = lb.algorithm === 'random-two' ? 'spread' : 'distribution';
  for (let i = 0; i < count; i++) b.add(entry, `spread ${i + 1}`, get(`/anything/${i}`), check, { lane: `${entry.id} spread ${i % lanes}`, group: `${entry.id} spread` });
}

/** Host values around a rule host: case, trailing dot, port; around a wildcard: a sub-subdomain and the bare domain. */
function hostVariants(host: string): string[] {
  if (host.startsWith('*.')) {
    const domain = host.slice(2);
    return [`a.${domain}`, `A.B.${domain.toUpperCase()}.`, domain, `x${domain}`];
  }
  return [host, host.toUpperCase(), `${host}.`, `${host}:80`, `${host.toUpperCase()}.`];
}

/** Paths around a rule prefix: exact, with and without the slash, past the boundary, case, encodings, dot segments. */
function prefixVariants(prefix: string): string[] {
  if (prefix === '/') return ['/', '/x'];
  const bare = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  const encoded = `/%${bare.charCodeAt(1).toString(16).toUpperCase()}${bare.slice(2)}`;
  return [bare, `${bare}/`, `${bare}x`, `${bare}/x`, bare.toUpperCase() + '/x', `${encoded}/x`, `/${bare}/x`, `/static/..${bare}/x`, `/.${bare}/x`, `${bare}/x?q=1`, `${bare}/../x`];
}

/** Rules no target can write literally are skipped by every export (and reported): the corpus leaves them out too. */
function writableRules(proxy: ReverseProxyNode): NonNullable<ReverseProxyNode['rules']> {
  return (proxy.rules ?? []).filter((r) => isSafePathPrefix(r.pathPrefix ?? '/') && (r.host === undefined || normaliseHostPattern(r.host) !== undefined));
}

function proxyProbes(b: Builder, entry: Entry): void {
  const proxy = entry.node as ReverseProxyNode;
  const rules = writableRules(proxy);
  const hosts = new Set<string>(['unmatched.example', entry.host]);
  for (const rule of rules) if (rule.host !== undefined) for (const host of hostVariants(rule.host)) hosts.add(host);
  const paths = new Set<string>(['/', '/x']);
  for (const rule of rules) for (const path of prefixVariants(rule.pathPrefix ?? '/')) paths.add(path);
  for (const host of hosts) for (const path of paths) b.add(entry, `GET ${host}${path}`, get(path, { host }), 'route');
  if (rules.length === 0) {
    for (let i = 0; i < 130; i++) b.add(entry, `spread ${i + 1}`, get(`/anything/${i}`), 'distribution', { lane: `${entry.id} spread`, group: `${entry.id} spread` });
  }
}

function cacheProbes(b: Builder, entry: Entry): void {
  const seq = (name: string, steps: HttpSpec[]): void => {
    steps.forEach((spec, i) => b.add(entry, `${name} ${i + 1}: ${spec.method} ${spec.path}`, spec, 'cache', { lane: `${entry.id} ${name}` }));
  };
  const cc = (value: string): { headers: Record<string, string> } => ({ headers: { 'cache-control': value } });
  const auth = (who: string): { headers: Record<string, string> } => ({ headers: { authorization: `Bearer ${who}` } });
  seq('static', [get('/static/a.css'), get('/static/a.css'), get('/static/a.css')]);
  for (let i = 1; i <= 20; i++) seq(`static-${i}`, [get(`/static/file-${i}.css`), get(`/static/file-${i}.css`), get(`/static/file-${i}.css?v=1`)]);
  for (let i = 1; i <= 10; i++) seq(`plain-${i}`, [get(`/anything/page-${i}`), get(`/anything/page-${i}`)]);
  seq('plain', [get('/anything/plain'), get('/anything/plain'), get('/anything/plain')]);
  seq('authorization', [get('/anything/me', auth('alice')), get('/anything/me', auth('bob')), get('/anything/me'), get('/anything/me'), get('/anything/me', auth('alice'))]);
  seq('tenants', [get('/anything/page', { host: 'tenant-a.example' }), get('/anything/page', { host: 'tenant-b.example' }), get('/anything/page', { host: 'tenant-a.example' }), get('/anything/page', { host: 'TENANT-A.EXAMPLE.' })]);
  seq('request-no-cache', [get('/static/nc'), get('/static/nc', cc('no-cache')), get('/static/nc')]);
  seq('request-max-age-0', [get('/static/ma'), get('/static/ma', cc('max-age=0')), get('/static/ma')]);
  seq('request-no-store', [get('/static/ns'), get('/static/ns', cc('no-store')), get('/static/ns')]);
  seq('request-no-store-first', [get('/static/ns2', cc('no-store')), get('/static/ns2'), get('/static/ns2')]);
  seq('pragma', [get('/static/pr'), get('/static/pr', { headers: { pragma: 'no-cache' } }), get('/static/pr')]);
  seq('pragma-with-cache-control', [get('/static/pc'), get('/static/pc', { headers: { pragma: 'no-cache', 'cache-control': 'max-age=60' } })]);
  seq('head', [{ type: 'http', method: 'HEAD', path: '/static/h' }, get('/static/h')]);
  seq('post-invalidates', [get('/static/p'), get('/static/p'), { type: 'http', method: 'POST', path: '/static/p' }, get('/static/p')]);
  seq('dot-alias', [get('/static/d'), get('/static/./d'), get('/static//d'), get('/static/%64')]);
  seq('max-age-0-response', [get('/static/z?max-age=0'), get('/static/z?max-age=0')]);
  for (const kind of ['private', 'nostore', 'cookie', 'nocache']) seq(`response-${kind}`, [get(`/${kind}/a`), get(`/${kind}/a`)]);
  seq('response-public-authorization', [get('/public/a', auth('alice')), get('/public/a', auth('bob'))]);
}

/** Phase 1, after one backend stopped: the entry's pools again, and cached answers. */
function afterStop(b: Builder, entry: Entry): void {
  const phase = { phase: 1 as const };
  if (entry.role === 'cache') {
    b.add(entry, 'after stop cached', get('/static/a.css'), 'cache', phase);
    b.add(entry, 'after stop uncached', get('/anything/after-stop'), 'cache', phase);
    return;
  }
  if (entry.role === 'reverse-proxy') {
    const proxy = entry.node as ReverseProxyNode;
    for (const [i, rule] of writableRules(proxy).entries()) {
      const host = rule.host === undefined ? entry.host : rule.host.startsWith('*.') ? `a.${rule.host.slice(2)}` : rule.host;
      for (let k = 0; k < 3; k++) b.add(entry, `after stop rule ${i + 1} request ${k + 1}`, get(`${(rule.pathPrefix ?? '/').replace(/\/$/, '')}/after-stop`, { host }), 'route', { ...phase, lane: `${entry.id} after ${i}` });
    }
    if ((proxy.rules ?? []).length > 0) return;
  }
  const count = Math.max(12, 6 * entry.backends.length);
  for (let i = 0; i < count; i++) b.add(entry, `after stop ${i + 1}`, get(`/anything/after/${i}`), 'route', { ...phase, lane: `${entry.id} after ${i % 2}` });
}
