import { describe, expect, it } from 'vitest';
import { KernelLab } from '../../../core/runtime/kernel/kernel-lab.js';
import { curlFrom, design, kernelLabOrSkip } from './helpers.js';

const supported = await kernelLabOrSkip('kernel lab filter tests');

describe.skipIf(!supported)('nftables tables change while the lab runs (where filters will apply their rules)', () => {
  it('replaces the internet gateway table in one transaction: the next connection obeys the new rules, and the old ones come back', { timeout: 120_000 }, async () => {
    const topology = design('examples/two-tier-web.topolab.json');
    const lab = new KernelLab(topology);
    try {
      await lab.start();
      const plan = lab.plan();
      const router = plan?.namespaces.find((n) => n.role === 'router');
      const gateway = router?.nftables['topolab-igw'] as string;
      const lb = `http://${plan?.addressing['web-lb']?.public}/`;
      expect((await curlFrom(topology, 'visitor', lb)).status).toBe(200);
      await lab.replaceTable(router?.name as string, 'inet', 'topolab-igw', gateway.replace('ct status dnat accept', 'ct status dnat drop'));
      expect((await curlFrom(topology, 'visitor', lb, 1)).status).toBe(0);
      await lab.replaceTable(router?.name as string, 'inet', 'topolab-igw', gateway);
      expect((await curlFrom(topology, 'visitor', lb)).status).toBe(200);
    } finally {
      await lab.stop();
    }
  });
});
