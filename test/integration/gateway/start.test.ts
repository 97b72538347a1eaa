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
