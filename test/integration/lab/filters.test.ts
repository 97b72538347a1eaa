import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../core/api/contract/errors.js';
import type { Lab } from '../../../core/runtime/lab/lab.js';
import { sendOne } from '../../../core/runtime/load/index.js';
import { fixture, handleCounts, realLab, servicesClosedAfterEach } from './helpers.js';

/**
 * Security groups and network ACLs in the live lab, with real sockets. Fixture `filtered`:
 * lb (sg-lb, health checks every 200 ms) -> web1 (sg-web: admits sg-lb on 8080) and web2
 * (sg-closed: admits only 10.9.0.0/16); gw (sg-lb) sends /iso to web3, whose subnet's ACL
 * admits only 10.0.9.0/24; app-client (sg-client: tcp 443 out only) and the internet
 * client user send to lb.
 */

const labs: Lab[] = [];
afterEach(async () => {
  await Promise.all(labs.splice(0).map((lab) => lab.stop()));
  await expect.poll(() => handleCounts().servers).toBe(0);
});

async function started(): Promise<Lab> {
  const lab = realLab('filtered');
  labs.push(lab);
  await lab.start();
  return lab;
}

function urlOf(lab: Lab, id: string): string {
  const url = lab.endpoints().find((e) => e.id === id)?.url;
  if (!url) throw new Error(`no endpoint for ${id}`);
  return url;
}

function nodeState(lab: Lab, id: string): { state?: string; reason?: string } {
  const node = lab.status().nodes.find((n) => n.id === id);
  return { ...(node?.state ? { state: node.state } : {}), ...(node?.reason ? { reason: node.reason } : {}) };
}

/** Requests a backend answered, health probes included, from its own counters. */
function served(lab: Lab, id: string): number {
  return lab.metrics().find((m) => m.nodeId === id)?.requests ?? -1;
}

describe('security groups and network ACLs in the live lab', () => {
  it('a target whose group refuses the balancer is unhealthy from the start, never probed and never chosen', async () => {
    const lab = await started();
    expect(nodeState(lab, 'web2')).toEqual({
      state: 'unhealthy',
      reason: expect.stringMatching(/^lb: blocked by web2: the security groups of server "web2" \("sg-closed"\) allow no inbound tcp port 8080 from 10\.0\.1\.10/) as unknown as string,
    });
    // The checks run every 200 ms: web1 has answered several; web2 none, since a probe is a connection too.
    await expect.poll(() => served(lab, 'web1'), { timeout: 5000 }).toBeGreaterThan(3);
    expect(served(lab, 'web2')).toBe(0);
    const result = await lab.load({ from: 'user', to: 'lb', requests: 30, concurrency: 3 });
    expect(result.status).toEqual({ '200': 30 });
    expect(result.byServer).toEqual({ web1: 30 });
    expect(served(lab, 'web2')).toBe(0);
    expect(lab.metrics().find((m) => m.nodeId === 'lb')?.upstreams?.['web2']).toMatchObject({ healthy: false, chosen: 0, reason: expect.stringMatching(/^blocked by web2: /) as unknown as string });
  });

  it('a rule changed while the lab runs applies to the next connection, both ways', async () => {
    const lab = await started();
    const url = urlOf(lab, 'lb');
    expect(lab.configure({ nodeId: 'sg-closed', inbound: [{ protocol: 'tcp', ports: '8080', source: 'sg-lb' }] })).toMatch(/^security group sg-closed: inbound changed/);
    expect(nodeState(lab, 'web2')).toEqual({ state: 'healthy' });
    const opened = await lab.load({ to: 'lb', requests: 20, concurrency: 2 });
    expect(opened.status).toEqual({ '200': 20 });
    expect(Object.keys(opened.byServer).sort()).toEqual(['web1', 'web2']);
    // web1 leaves the group that admits the balancer: every target is blocked now, and the balancer says by what.
    lab.configure({ nodeId: 'sg-closed', inbound: [] });
    lab.configure({ nodeId: 'web1', securityGroups: ['sg-closed'] });
    const blocked = await sendOne({ url });
    expect(blocked.status).toBe(502);
    expect(blocked.headers['x-topolab-blocked-by']).toBe('web1');
    expect(JSON.parse(blocked.body)).toMatchObject({ error: 'blocked-by-filter', code: 'security-group', from: 'lb', to: 'web1', blockedBy: 'web1' });
    expect(nodeState(lab, 'web1')).toMatchObject({ state: 'unhealthy', reason: expect.stringMatching(/^lb: blocked by web1: /) as unknown as string });
    lab.configure({ nodeId: 'web1', securityGroups: ['sg-web'] });
    expect((await sendOne({ url })).status).toBe(200);
  });

  it('a network ACL that refuses the request, then the reply, answers 502 naming the ACL and the code', async () => {
    const lab = await started();
    const url = urlOf(lab, 'gw');
    const path = '/iso/x';
    const request = await sendOne({ url, path });
    expect(request.status).toBe(502);
    expect(request.headers['x-topolab-blocked-by']).toBe('acl-iso');
    expect(JSON.parse(request.body)).toMatchObject({ error: 'blocked-by-filter', code: 'network-acl', from: 'gw', to: 'web3', blockedBy: 'acl-iso', reason: expect.stringMatching(/refuses inbound tcp port 8080 from 10\.0\.1\.20/) as unknown as string });
    // The request is let in; the ACL is stateless, and nothing lets the reply out yet.
    lab.configure({ nodeId: 'acl-iso', inbound: [{ rule: 100, action: 'allow', protocol: 'tcp', ports: '8080', cidr: '10.0.1.0/24' }] });
    const reply = await sendOne({ url, path });
    expect(reply.status).toBe(502);
    expect(JSON.parse(reply.body)).toMatchObject({ code: 'network-acl', blockedBy: 'acl-iso', reason: expect.stringMatching(/refuses the reply, outbound tcp ports 1024-65535 to 10\.0\.1\.20/) as unknown as string });
    lab.configure({ nodeId: 'acl-iso', outbound: [{ rule: 100, action: 'allow', protocol: 'tcp', ports: '1024-65535', cidr: '10.0.1.0/24' }] });
    const ok = await sendOne({ url, path });
    expect(ok.status).toBe(200);
    expect(ok.servedBy).toEqual(['web3']);
    // Out of the ACL's subnets, the ACL does not apply at all.
    lab.configure({ nodeId: 'acl-iso', subnets: [], inbound: [], outbound: [] });
    expect((await sendOne({ url, path })).status).toBe(200);
  });

  it('load --from obeys the sender\'s groups', async () => {
    const lab = await started();
    await expect(lab.load({ from: 'app-client', to: 'lb', requests: 5 })).rejects.toThrow(/app-client cannot reach lb in the design: blocked by app-client \(security-group\): the security groups of client "app-client" \("sg-client"\) allow no outbound tcp port 80/);
    lab.configure({ nodeId: 'sg-client', outbound: [{ protocol: 'tcp', ports: '80', destination: 'sg-lb' }] });
    const result = await lab.load({ from: 'app-client', to: 'lb', requests: 5 });
    expect(result.status).toEqual({ '200': 5 });
  });

  it('refuses filter edits that do not fit the node or break the design, and changes nothing', async () => {
    const lab = await started();
    expect(() => lab.configure({ nodeId: 'sg-web', securityGroups: ['sg-lb'] })).toThrow(/securityGroups applies to servers, balancers/);
    expect(() => lab.configure({ nodeId: 'web1', inbound: [] })).toThrow(/inbound applies to security groups and network ACLs/);
    expect(() => lab.configure({ nodeId: 'web1', securityGroups: ['sg-nope'] })).toThrow(/makes the design wrong: sg-reference-invalid/);
    expect(() => lab.configure({ nodeId: 'sg-web', inbound: [{ protocol: 'tcp', source: 'sg-lb' }] })).toThrow(/makes the design wrong: sg-rule-invalid/);
    expect(() => lab.configure({ nodeId: 'acl-iso', inbound: [{ protocol: 'tcp', ports: '80', source: '0.0.0.0/0' }] })).toThrow(/Network ACL "acl-iso" cannot take this edit/);
    expect(() => lab.configure({ nodeId: 'ghost', default: true })).toThrow(/"ghost" is not a node of this design/);
    expect((await sendOne({ url: urlOf(lab, 'lb') })).servedBy).toEqual(['web1']);
  });

  const service = servicesClosedAfterEach();
  it('lab.configure checks filter edits at the edge: malformed rules are bad-input', async () => {
    const api = service();
    await api.call('lab.start', { topology: fixture('filtered') });
    for (const input of [
      { nodeId: 'sg-web', inbound: [{ protocol: 'sctp', source: '0.0.0.0/0' }] },
      { nodeId: 'sg-web', inbound: 'all' },
      { nodeId: 'sg-web', securityGroups: [] },
      { nodeId: 'acl-iso', subnets: ['../etc'] },
      { nodeId: 'acl-iso', default: 'yes' },
      { nodeId: 'sg-web' },
    ]) {
      await expect(api.call('lab.configure', input as never)).rejects.toSatisfy((error) => error instanceof ApiError && error.code === 'bad-input');
    }
    const answer = await api.call('lab.configure', { nodeId: 'sg-closed', inbound: [{ protocol: 'all', source: '10.0.0.0/16' }] });
    expect(answer.message).toMatch(/^security group sg-closed: inbound changed/);
    expect(answer.status.nodes.find((n) => n.id === 'web2')?.state).toBe('healthy');
  });
});
