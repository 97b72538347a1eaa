import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createService } from '../../../core/api/service.js';
import type { Lab } from '../../../core/runtime/lab/lab.js';
import { accepts, handleCounts, realLab } from '../lab/helpers.js';
import { API_KEY, gatewayDesign, gatewayFolder, type GatewayFolder } from './fixture.js';

let lab: Lab | undefined;
let keys: GatewayFolder | undefined;

afterEach(async () => {
  await lab?.stop();
  lab = undefined;
  keys?.cleanup();
  keys = undefined;
  await expect.poll(() => handleCounts().servers).toBe(0);
});

describe('starting a gateway', () => {
  it('refuses to start when a secret file is missing or broken, naming the secret and the file, and leaves nothing listening', async () => {
    keys = await gatewayFolder();
    rmSync(join(keys.folder, 'users.json'));
    lab = realLab(gatewayDesign(), { designFolder: keys.folder });
    const missing = await lab.start().catch((e: unknown) => e as Error);
    expect(String(missing)).toMatch(/gateway secret "users": cannot read .*users\.json \(ENOENT\)/);
    for (const endpoint of lab.endpoints()) if (endpoint.url) expect(await accepts(endpoint.url)).toBe(false);
    await lab.stop();

    writeFileSync(join(keys.folder, 'users.json'), '{"users": [{"name": "ops", "password": "top-secret-text"');
    lab = realLab(gatewayDesign(), { designFolder: keys.folder });
    const broken = String(await lab.start().catch((e: unknown) => e));
    expect(broken).toMatch(/gateway secret "users" \(.*users\.json\) is not JSON/);
    // The file's own text never reaches the message.
    expect(broken).not.toContain('top-secret');
    await lab.stop();

    writeFileSync(join(keys.folder, 'users.json'), JSON.stringify({ users: [{ name: 'a:b', password: 'x' }] }));
    lab = realLab(gatewayDesign(), { designFolder: keys.folder });
    expect(String(await lab.start().catch((e: unknown) => e))).toMatch(/gateway secret "users" .* is not a users file .* at \$\.users\[0\]\.name: a user name cannot hold ":"/);
  });

  it('refuses without the design folder, saying why', async () => {
    lab = realLab(gatewayDesign());
    expect(String(await lab.start().catch((e: unknown) => e))).toMatch(/started without the design's folder/);
  });

  it('lab.start over the service reads the secrets next to the named design', async () => {
    keys = await gatewayFolder();
    const nested = join(keys.folder, 'designs');
    mkdirSync(nested);
    for (const file of ['keys.json', 'users.json', 'hs.key', 'jwks.json']) copyFileSync(join(keys.folder, file), join(nested, file));
    const service = createService({ filesRoot: keys.folder });
    try {
      const started = await service.call('lab.start', { topology: gatewayDesign(), design: 'designs/api.topolab.json' });
      const url = started.endpoints.find((e) => e.id === 'gw')?.url ?? '';
      const reply = await fetch(`${url.replace(/\/$/, '')}/users/1`, { headers: { 'x-api-key': API_KEY } });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('x-topolab-route')).toBe('users');
      await service.call('lab.stop', {});
      await expect(service.call('lab.start', { topology: gatewayDesign(), design: '../outside.topolab.json' })).rejects.toThrow(/leaves the folder/);
    } finally {
      await service.close();
    }
  });
});

describe('the api-gateway example', () => {
  it('runs with its demo secrets: a key, a user and a token each open their route', async () => {
    const { fileURLToPath } = await import('node:url');
    const { readFileSync } = await import('node:fs');
    const { SignJWT } = await import('jose');
    const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
    const service = createService({ filesRoot: examples });
    try {
      const topology = JSON.parse(readFileSync(join(examples, 'api-gateway.topolab.json'), 'utf8')) as Parameters<typeof service.call<'lab.start'>>[1]['topology'];
      const started = await service.call('lab.start', { topology, design: 'api-gateway.topolab.json' });
      const base = (started.endpoints.find((e) => e.id === 'api-gw')?.url ?? '').replace(/\/$/, '');
      const product = await fetch(`${base}/api/products/7`, { headers: { 'x-api-key': 'demo-mobile-key-0001' } });
      expect([product.status, product.headers.get('x-topolab-route'), ((await product.json()) as { path: string }).path]).toEqual([200, 'catalogue', '/products/7']);
      const admin = await fetch(`${base}/admin/x`, { headers: { authorization: `Basic ${Buffer.from('ops:demo-ops-password').toString('base64')}` } });
      expect(admin.status).toBe(200);
      const key = new TextEncoder().encode(readFileSync(join(examples, 'api-gateway-secrets/hs256.key'), 'utf8').trim());
      const token = await new SignJWT({ scope: 'orders:read', sub: 'shopper-1' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('https://id.shop.example').setAudience('orders-api').setExpirationTime('1m').sign(key);
      const orders = await fetch(`${base}/api/orders/42`, { headers: { authorization: `Bearer ${token}` } });
      expect([orders.status, orders.headers.get('x-topolab-route')]).toEqual([200, 'orders']);
      expect((await fetch(`${base}/api/orders/42`)).status).toBe(401);
    } finally {
      await service.close();
    }
  });
});
