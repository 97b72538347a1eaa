import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../core/runtime/lab/lab.js';
import { parseTopology } from '../../../core/model/load.js';
import { renderNginx } from '../../../core/export/nginx/index.js';
import { TLS_FILES } from '../../../core/model/tls-hosts.js';
import { freePort, loopbackMap, startBackend, startTool, STREAM_MODULE, tempDir, type Backend } from '../export/tools.js';
import { realLab } from '../lab/helpers.js';
import { API_KEY, gatewayDesign, gatewayFolder, type GatewayFolder } from './fixture.js';

/** The gateway design with HTTPS on the gateway; its one certified name comes from a route's host. */
function tlsGatewayDesign(): ReturnType<typeof parseTopology> {
  const design = gatewayDesign();
  const nodes = design.nodes.map((node) => {
    if (node.id !== 'gw' || node.kind !== 'reverse-proxy' || node.gateway === undefined) return node;
    const routes = [...node.gateway.routes, { id: 'host-only', host: 'api.shop.example', path: '/host-only', upstreams: ['orders'] }];
    return { ...node, gateway: { ...node.gateway, routes }, tls: { hsts: { maxAgeSeconds: 600 } } };
  });
  return parseTopology(JSON.stringify({ ...design, nodes }));
}

let lab: Lab;
let keys: GatewayFolder;
let httpsPort: number;
let plainUrl: string;
let ca: string;

beforeAll(async () => {
  keys = await gatewayFolder();
  lab = realLab(tlsGatewayDesign(), { designFolder: keys.folder, projectFolder: keys.folder });
  await lab.start();
  const gw = lab.endpoints().find((e) => e.id === 'gw');
  if (gw?.httpsUrl === undefined) throw new Error('the gateway has no HTTPS endpoint');
  httpsPort = Number(new URL(gw.httpsUrl).port);
  plainUrl = gw.url.replace(/\/$/, '');
  ca = await readFile(join(keys.folder, '.topolab/ca/topolab-ca.crt'), 'utf8');
});

afterAll(async () => {
  await lab?.stop();
  keys?.cleanup();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  san: string;
}

/** One HTTPS request trusting only the project's CA, SNI and Host `api.shop.example`. */
function httpsGet(path: string, headers: Record<string, string> = {}, port = httpsPort): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, servername: 'api.shop.example', ca, agent: false, headers: { host: 'api.shop.example', ...headers } },
      (res) => {
        const san = (res.socket as TLSSocket).getPeerCertificate().subjectaltname ?? '';
        res.resume();
        res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, san }));
      },
    );
    req.once('error', reject);
    req.end();
  });
}

describe('API gateway over HTTPS (gateway and tls on one reverse proxy)', () => {
  it('routes HTTPS requests through the gateway: x-topolab-route, auth and HSTS, with the route host certified', async () => {
    const me = await httpsGet('/users/me');
    expect(me.status).toBe(200);
    expect(me.headers['x-topolab-route']).toBe('users-me');
    expect(me.headers['strict-transport-security']).toBe('max-age=600');
    // The certificate names the gateway route's host (no tls.hosts given).
    expect(me.san).toBe('DNS:api.shop.example');

    const refused = await httpsGet('/users/7');
    expect(refused.status).toBe(401);
    expect(refused.headers['x-topolab-route']).toBe('users');
    const keyed = await httpsGet('/users/7', { 'x-api-key': API_KEY });
    expect(keyed.status).toBe(200);
    expect(keyed.headers['x-topolab-route']).toBe('users');

    const hostOnly = await httpsGet('/host-only');
    expect(hostOnly.status).toBe(200);
    expect(hostOnly.headers['x-topolab-route']).toBe('host-only');
  });

  it('keeps serving plain HTTP through the same gateway, without HSTS', async () => {
    const response = await fetch(`${plainUrl}/users/me`);
    await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-topolab-route')).toBe('users-me');
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('the HTTPS gateway exported to nginx', () => {
  it('serves the gateway routes on the HTTPS server blocks, with the route host certificate and HSTS', async () => {
    const design = tlsGatewayDesign();
    const backends: Backend[] = [];
    const temp = await tempDir('topolab-gw-tls-nginx-');
    try {
      const fixed: Record<string, string> = {};
      for (const [id, ip] of [['users', '10.0.2.10'], ['orders', '10.0.2.11']] as const) {
        const backend = await startBackend(id);
        backends.push(backend);
        fixed[`${ip}:8080`] = `127.0.0.1:${backend.port}`;
      }
      const addressMap = await loopbackMap(design, fixed);
      const securePort = await freePort();
      addressMap['10.0.1.20:443'] = `127.0.0.1:${securePort}`;
      // The lab made the certificates under the design folder's .topolab/ when it started.
      const certDir = join(keys.folder, TLS_FILES.certsDir);
      const config = renderNginx(design, { addressMap, runDir: temp.dir, certDir, nginxModules: [STREAM_MODULE] }).files[0]?.content ?? '';
      expect(config).toContain(`ssl_certificate ${certDir}/api.shop.example.crt;`);
      const secrets = join(temp.dir, 'gateway-secrets', 'gw');
      mkdirSync(secrets, { recursive: true });
      for (const route of ['users', 'query-key', 'limited-key']) writeFileSync(join(secrets, `${route}.keys.map`), `"${API_KEY}" "alice";\n`);
      writeFileSync(join(secrets, 'admin.htpasswd'), 'ops:{PLAIN}pass word\n');
      writeFileSync(join(secrets, 'admin.scoped.map'), '"ops" 1;\n');
      const nginx = await startTool('nginx', temp.dir, config, Number(addressMap['10.0.1.20:80']?.split(':')[1]));
      try {
        const me = await httpsGet('/users/me', {}, securePort);
        expect({ status: me.status, route: me.headers['x-topolab-route'], hsts: me.headers['strict-transport-security'], san: me.san }).toEqual({
          status: 200,
          route: 'users-me',
          hsts: 'max-age=600',
          san: 'DNS:api.shop.example',
        });
        const refused = await httpsGet('/users/7', {}, securePort);
        expect({ status: refused.status, route: refused.headers['x-topolab-route'] }).toEqual({ status: 401, route: 'users' });
        const hostOnly = await httpsGet('/host-only', {}, securePort);
        expect({ status: hostOnly.status, route: hostOnly.headers['x-topolab-route'] }).toEqual({ status: 200, route: 'host-only' });
      } finally {
        await nginx.stop();
      }
    } finally {
      await Promise.all(backends.map((b) => b.stop()));
      await temp.cleanup();
    }
  }, 30_000);
});
