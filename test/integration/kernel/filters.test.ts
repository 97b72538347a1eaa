import { describe, expect, it } from 'vitest';
import { KernelLab } from '../../../core/runtime/kernel/kernel-lab.js';
import { curlFrom, design, kernelLabOrSkip } from './helpers.js';

const supported = await kernelLabOrSkip('kernel lab filter tests');

describe.skipIf(!supported)('nftables tables change while the lab runs', () => {
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

describe.skipIf(!supported)('security groups and network ACLs enforced by the kernel', () => {
  it('drops what the groups and ACLs refuse, lets through what they allow, and obeys a live edit on the next connection', { timeout: 120_000 }, async () => {
    const topology = design('test/fixtures/lab/filtered.topolab.json');
    const lab = new KernelLab(topology);
    try {
      await lab.start();
      // sg-web lets sg-lb's members in on 8080; sg-closed only 10.9.0.0/16.
      expect((await curlFrom(topology, 'lb', 'http://10.0.2.10:8080/')).status).toBe(200);
      expect((await curlFrom(topology, 'lb', 'http://10.0.2.11:8080/', 1)).status).toBe(0);
      // sg-client allows only tcp 443 out (stateful: nothing else leaves app-client).
      expect((await curlFrom(topology, 'app-client', 'http://10.0.2.10:8080/', 1)).status).toBe(0);
      // acl-iso lets in only 10.0.9.0/24: gw (10.0.1.20) is refused at the router, though sg-web would allow it.
      expect((await curlFrom(topology, 'gw', 'http://10.0.3.10:8080/', 1)).status).toBe(0);

      lab.configure({ nodeId: 'sg-closed', inbound: [{ protocol: 'tcp', ports: '8080', source: 'sg-lb' }] });
      await lab.settled();
      expect((await curlFrom(topology, 'lb', 'http://10.0.2.11:8080/')).status).toBe(200);

      // Stateless: the ACL needs the request in and the reply out, to the sender's ephemeral ports (1024-65535 for a reverse proxy).
      lab.configure({ nodeId: 'acl-iso', inbound: [{ rule: 100, action: 'allow', protocol: 'tcp', ports: '8080', cidr: '10.0.1.0/24' }] });
      await lab.settled();
      expect((await curlFrom(topology, 'gw', 'http://10.0.3.10:8080/', 1)).status).toBe(0);
      lab.configure({ nodeId: 'acl-iso', outbound: [{ rule: 100, action: 'allow', protocol: 'tcp', ports: '1024-65535', cidr: '10.0.1.0/24' }] });
      await lab.settled();
      expect((await curlFrom(topology, 'gw', 'http://10.0.3.10:8080/')).status).toBe(200);
      // A deny with a lower number wins over the allow.
      lab.configure({ nodeId: 'acl-iso', inbound: [{ rule: 50, action: 'deny', protocol: 'tcp', ports: '8080', cidr: '10.0.1.20/32' }, { rule: 100, action: 'allow', protocol: 'tcp', ports: '8080', cidr: '10.0.1.0/24' }] });
      await lab.settled();
      expect((await curlFrom(topology, 'gw', 'http://10.0.3.10:8080/', 1)).status).toBe(0);
    } finally {
      await lab.stop();
    }
  });
});
