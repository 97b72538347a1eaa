import { afterEach, describe, expect, it } from 'vitest';
import { createService, type TopolabService } from '../../../core/api/service.js';
import { API_KEY, gatewayDesign, gatewayFolder, type GatewayFolder } from '../gateway/fixture.js';
import { kernelLabOrSkip } from './helpers.js';

const supported = await kernelLabOrSkip('kernel gateway tests');

describe.skipIf(!supported)('an API gateway in the kernel lab', () => {
  let service: TopolabService | undefined;
  let keys: GatewayFolder | undefined;

  afterEach(async () => {
    await service?.close();
    service = undefined;
    keys?.cleanup();
    keys = undefined;
  });

  it('reads its secrets next to the named design inside its namespace: a key opens its route, no key is refused', async () => {
    keys = await gatewayFolder();
    service = createService({ filesRoot: keys.folder });
    const started = await service.call('lab.start', { topology: gatewayDesign(), mode: 'netns', design: 'api.topolab.json' });
    const url = (started.endpoints.find((e) => e.id === 'gw')?.url ?? '').replace(/\/$/, '');
    const keyed = await fetch(`${url}/users/1`, { headers: { 'x-api-key': API_KEY } });
    expect(keyed.status).toBe(200);
    expect(keyed.headers.get('x-topolab-route')).toBe('users');
    const bare = await fetch(`${url}/users/1`);
    expect(bare.status).toBe(401);
  }, 60_000);
});
