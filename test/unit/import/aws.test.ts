import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importAws } from '../../../core/import/index.js';
import { safeParseTopology } from '../../../core/model/load.js';
import type { Topology, TopologyNode } from '../../../core/model/types.js';
import { trace } from '../../../core/routing/trace.js';
import { validateTopology } from '../../../core/validate/index.js';

/**
 * The AWS import on fixtures written from the AWS CLI reference's describe output shapes
 * (test/fixtures/import/aws): two VPCs of two accounts peered, a subnet on the main table,
 * a secondary block, group references, ACL associations, an ALB with its target group, a
 * terminated instance, an unmodelled VPC endpoint.
 */
const folder = new URL('../../fixtures/import/aws/', import.meta.url).pathname;
const files = readdirSync(folder).filter((f) => f.endsWith('.json')).map((name) => ({ name: join(folder, name), text: readFileSync(join(folder, name), 'utf8') }));
const built = importAws(files);
const design = built.topology;

function node<K extends TopologyNode['kind']>(id: string, kind: K): Extract<TopologyNode, { kind: K }> {
  const found = design.nodes.find((n) => n.id === id);
  expect(found?.kind, `${id} is a ${kind}`).toBe(kind);
  return found as Extract<TopologyNode, { kind: K }>;
}

const ignoredIds = () => built.ignored.map((i) => i.id);

describe('import aws', () => {
  it('makes a design that loads and has no errors', () => {
    const loaded = safeParseTopology(JSON.stringify(design));
    expect(loaded.ok).toBe(true);
    expect(validateTopology(loaded.ok ? loaded.topology : (design as Topology)).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('names nodes by their AWS ids, takes the name from the Name tag and keeps the other tags', () => {
    const vpc = node('vpc-0a1111111111111aa', 'vpc');
    expect(vpc.name).toBe('shop');
    expect(vpc.tags).toEqual({ team: 'web' });
    expect(vpc.region).toBe('us-east-1');
  });

  it('keeps associated secondary blocks only', () => {
    expect(node('vpc-0a1111111111111aa', 'vpc').secondaryCidrs).toEqual(['10.1.0.0/16']);
    expect(node('subnet-0app0000000000002', 'subnet').cidr).toBe('10.1.0.0/24');
  });

  it('marks the main table, lists no subnet for the main association, and the unlisted subnet uses it', () => {
    const main = node('rtb-0main000000000001', 'route-table');
    expect(main.main).toBe(true);
    expect(main.subnets).toEqual([]);
    expect(node('rtb-0pub000000000001', 'route-table').subnets).toEqual(['subnet-0pub0000000000001', 'subnet-0pub0000000000002']);
    // Private through the main table's NAT route: out to the internet through nat-..., not the internet gateway.
    const out = trace(design, { from: 'i-0app1000000000001', to: '203.0.113.10', port: 443 });
    expect(out.verdict).toBe('reachable');
    expect(out.hops.map((h) => h.nodeId)).toContain('nat-0aaaaaaaaaaaaaaa1');
    expect(out.hops.map((h) => h.nodeId)).toContain('rtb-0main000000000001');
  });

  it('keeps blackhole routes, drops local ones, and lists routes to unmodelled targets in ignored', () => {
    const routes = node('rtb-0main000000000001', 'route-table').routes;
    expect(routes).toEqual([
      { destination: '0.0.0.0/0', target: 'nat-0aaaaaaaaaaaaaaa1' },
      { destination: '10.20.0.0/16', target: 'pcx-0abc0000000000001' },
      { destination: '172.16.0.0/12', target: 'blackhole' },
    ]);
    expect(built.ignored).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Route', id: 'rtb-0main000000000001 192.168.0.0/16', reason: expect.stringContaining('TransitGateway') as unknown as string })]));
    expect(ignoredIds()).toContain('rtb-0main000000000001 prefix list pl-63a5400a');
  });

  it('peers the two accounts\' VPCs, and leaves out a pending connection', () => {
    expect(node('pcx-0abc0000000000001', 'peering').vpcs).toEqual(['vpc-0a1111111111111aa', 'vpc-0b2222222222222bb']);
    expect(ignoredIds()).toContain('pcx-0pending000000001');
    expect(trace(design, { from: 'i-0app1000000000001', to: 'i-0db00000000000001', port: 5432 }).verdict).toBe('reachable');
  });

  it('splits a rule into one per source, keeps group references, imports All TCP as 0-65535 and -1 as all', () => {
    const web = node('sg-0web0000000000001', 'security-group');
    expect(web.inbound).toEqual([
      { protocol: 'tcp', ports: '80', source: '0.0.0.0/0', description: 'HTTP from anywhere' },
      { protocol: 'tcp', ports: '80', source: '::/0', description: 'HTTP from anywhere' },
    ]);
    const app = node('sg-0app0000000000001', 'security-group');
    expect(app.inbound).toEqual([
      { protocol: 'tcp', ports: '8080-8081', source: 'sg-0web0000000000001', description: 'from the balancer' },
      { protocol: 'tcp', ports: '0-65535', source: '10.0.0.0/24', description: 'All TCP' },
    ]);
    expect(app.outbound).toEqual([{ protocol: 'all', destination: '0.0.0.0/0' }]);
    expect(node('sg-0db00000000000001', 'security-group').inbound.map((r) => r.source)).toEqual(['10.0.10.0/24', '10.1.0.0/24']);
    // What the format cannot hold is listed, never dropped in silence.
    expect(ignoredIds()).toEqual(expect.arrayContaining(['sg-0app0000000000001 inbound[0] sg-0ops0000000000001', 'sg-0app0000000000001 inbound[2]', 'sg-0app0000000000001 outbound[1] pl-63a5400a']));
  });

  it('marks the default group and the default ACL', () => {
    expect(node('sg-0default00000000001', 'security-group').default).toBe(true);
    expect(node('sg-0web0000000000001', 'security-group').default).toBeUndefined();
    expect(node('acl-0default0000000001', 'network-acl').default).toBe(true);
  });

  it('imports ACL entries in rule order with their associations, without the final 32767 deny', () => {
    const acl = node('acl-0app000000000001', 'network-acl');
    expect(acl.subnets).toEqual(['subnet-0app0000000000001', 'subnet-0app0000000000002']);
    expect(acl.inbound).toEqual([
      { rule: 90, action: 'deny', protocol: 'tcp', ports: '22', cidr: '10.0.0.0/24' },
      { rule: 100, action: 'allow', protocol: 'tcp', ports: '8080-8081', cidr: '10.0.0.0/23' },
      { rule: 110, action: 'allow', protocol: 'tcp', ports: '1024-65535', cidr: '0.0.0.0/0' },
      { rule: 120, action: 'allow', protocol: 'udp', ports: '1024-65535', cidr: '10.20.0.0/16' },
    ]);
    expect(acl.outbound).toEqual([{ rule: 100, action: 'allow', protocol: 'tcp', ports: '0-65535', cidr: '0.0.0.0/0' }]);
    expect(node('acl-0default0000000001', 'network-acl').inbound).toEqual([{ rule: 100, action: 'allow', protocol: 'all', cidr: '0.0.0.0/0' }]);
  });

  it('imports instances with address, subnet and groups, and leaves a terminated one out', () => {
    const app = node('i-0app1000000000001', 'server');
    expect(app).toMatchObject({ parent: 'subnet-0app0000000000001', ip: '10.0.10.10', securityGroups: ['sg-0app0000000000001'], name: 'app-1', tags: { env: 'prod' } });
    expect(design.nodes.some((n) => n.id === 'i-0old0000000000001')).toBe(false);
    expect(built.ignored).toEqual(expect.arrayContaining([{ type: 'Instance', id: 'i-0old0000000000001', reason: expect.stringContaining('terminated') as unknown as string }]));
  });

  it('takes each port from the registration, else the single inbound TCP port, else the default, and says which', () => {
    expect(node('i-0app1000000000001', 'server').port).toBe(8080);
    expect(node('i-0app2000000000002', 'server').port).toBe(8081);
    expect(node('i-0db00000000000001', 'server').port).toBe(5432);
    expect(node('i-0ops0000000000001', 'server').port).toBe(80);
    const source = (id: string) => built.ports.find((p) => p.nodeId === id)?.source;
    expect(source('i-0app2000000000002')).toBe('target group app-tg');
    expect(source('i-0db00000000000001')).toMatch(/single TCP port/);
    expect(source('i-0ops0000000000001')).toMatch(/^the default/);
  });

  it('keeps the NAT gateway\'s private address, and leaves out a deleted one and a detached gateway', () => {
    expect(node('nat-0aaaaaaaaaaaaaaa1', 'nat-gateway')).toMatchObject({ ip: '10.0.0.200', parent: 'subnet-0pub0000000000001' });
    expect(ignoredIds()).toEqual(expect.arrayContaining(['nat-0deleted0000000001', 'igw-0detached00000001']));
  });

  it('turns the target group into edges from the balancer, with its health check and the listener port', () => {
    const lb = node('shop-alb', 'load-balancer');
    expect(lb).toMatchObject({ layer: 7, internetFacing: true, port: 80, securityGroups: ['sg-0web0000000000001'], healthCheck: { type: 'http', path: '/healthz', intervalMs: 10_000, timeoutMs: 4000, rise: 3, fall: 2, expectStatus: '200-299' } });
    expect(design.edges.filter((e) => e.from === 'shop-alb').map((e) => e.to).sort()).toEqual(['i-0app1000000000001', 'i-0app2000000000002']);
    expect(trace(design, { from: 'shop-alb', to: 'i-0app1000000000001' }).verdict).toBe('reachable');
  });

  it('reads an unmodelled describe output into ignored, item by item', () => {
    expect(built.ignored).toEqual(expect.arrayContaining([{ type: 'VpcEndpoint', id: 'vpce-0aaaaaaaaaaaaaaaa', reason: expect.any(String) as unknown as string }]));
  });

  it('lays the design out nested: every node has a place, containers have a size that holds their children', () => {
    for (const n of design.nodes) expect(design.layout[n.id], n.id).toBeDefined();
    for (const n of design.nodes.filter((x) => x.parent !== undefined)) {
      const parent = design.layout[n.parent as string];
      const own = design.layout[n.id];
      expect(own && parent && own.x + (own.width ?? 176) <= (parent.width ?? 0) && own.y + (own.height ?? 48) <= (parent.height ?? 0), `${n.id} inside ${n.parent}`).toBe(true);
    }
  });

  it('pairs a target-health file with the only target group there is, and lists an unpaired file', () => {
    const group = files.find((f) => f.name.endsWith('describe-target-groups.json')) as { name: string; text: string };
    const health = { name: 'health.json', text: readFileSync(join(folder, 'describe-target-health-app-tg.json'), 'utf8') };
    const only = importAws([...files.filter((f) => !f.name.includes('target-health')), health]);
    expect(only.topology.edges).toHaveLength(2);
    const twoGroups = JSON.parse(group.text) as { TargetGroups: Record<string, unknown>[] };
    twoGroups.TargetGroups.push({ ...twoGroups.TargetGroups[0], TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/other/1', TargetGroupName: 'other', LoadBalancerArns: [] });
    const unpaired = importAws([...files.filter((f) => !f.name.includes('target-health') && f !== group), { name: group.name, text: JSON.stringify(twoGroups) }, health]);
    expect(unpaired.ignored).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'TargetHealthDescriptions', id: 'health.json' })]));
  });

  it('reads the same resource in two files once, and SecurityGroupRules into their group without repeating a rule', () => {
    const rules = {
      name: 'rules.json',
      text: JSON.stringify({
        SecurityGroupRules: [
          { SecurityGroupRuleId: 'sgr-01', GroupId: 'sg-0web0000000000001', IsEgress: false, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIpv4: '0.0.0.0/0' },
          { SecurityGroupRuleId: 'sgr-02', GroupId: 'sg-0web0000000000001', IsEgress: false, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv4: '0.0.0.0/0' },
          { SecurityGroupRuleId: 'sgr-03', GroupId: 'sg-0nothere0000000001', IsEgress: false, IpProtocol: '-1', CidrIpv4: '0.0.0.0/0' },
        ],
      }),
    };
    const again = importAws([...files, files[0] as { name: string; text: string }, rules]);
    const web = again.topology.nodes.find((n) => n.id === 'sg-0web0000000000001');
    expect(web?.kind === 'security-group' ? web.inbound.map((r) => `${r.ports} ${r.source}`) : []).toEqual(['80 0.0.0.0/0', '80 ::/0', '443 0.0.0.0/0']);
    expect(again.topology.nodes.filter((n) => n.kind === 'vpc')).toHaveLength(2);
    expect(again.ignored.map((i) => i.id)).toContain('sgr-03');
  });
});
