import { describe, expect, it } from 'vitest';
import { servicesClosedAfterEach } from '../lab/helpers.js';
import { design, kernelLabOrSkip } from './helpers.js';

const supported = await kernelLabOrSkip('kernel lab scenario test');
const service = servicesClosedAfterEach();

describe.skipIf(!supported)('a scenario in the kernel lab', () => {
  it("plays the two-tier example's scenario from the visitor's namespace: app-a stops and rejoins, no request fails", { timeout: 120_000 }, async () => {
    const api = service();
    await api.call('lab.start', { topology: design('examples/two-tier-web.topolab.json'), mode: 'netns' });
    const result = await api.call('lab.scenario', { name: 'lose-an-app-server' });
    expect(result.events.map((e) => `${e.atSeconds}:${e.action}:${e.ok}`)).toEqual(['2:stop:true', '6:start:true']);
    expect(result.assertions.filter((a) => !a.passed)).toEqual([]);
    expect(result.passed).toBe(true);
    // Paced at 60 requests/s for 12 s: at most 720; a loaded machine sends fewer (how many
    // depends on it), a pacing or transport bug a handful.
    expect(result.load.requests).toBeGreaterThan(240);
    expect(result.load.requests).toBeLessThanOrEqual(730);
  });
});
