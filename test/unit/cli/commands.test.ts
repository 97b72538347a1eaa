import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../../core/cli/commands/validate.js';
import { runTopolab as run } from '../../support/cli.js';

const folder = mkdtempSync(join(tmpdir(), 'topolab-cli-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const path = join(folder, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const design = file('design.topolab.json', {
  schema: 'topolab/1',
  nodes: [
    { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' },
    { id: 'igw', kind: 'internet-gateway', parent: 'vpc' },
    { id: 'pub', kind: 'subnet', parent: 'vpc', cidr: '10.0.0.0/24' },
    { id: 'priv', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/24' },
    { id: 'rt-pub', kind: 'route-table', parent: 'vpc', subnets: ['pub'], routes: [{ destination: '0.0.0.0/0', target: 'igw' }] },
    { id: 'rt-main', kind: 'route-table', parent: 'vpc', main: true },
    { id: 'lb', kind: 'load-balancer', parent: 'pub', ip: '10.0.0.10', internetFacing: true },
    { id: 'app', kind: 'server', parent: 'priv', ip: '10.0.1.10', port: 8080 },
    { id: 'user', kind: 'client', ip: '198.51.100.7' },
  ],
  edges: [{ id: 'e1', from: 'lb', to: 'app' }],
});
const badJson = file('bad.topolab.json', '{\n  "schema": "topolab/1",\n  "nodes": [\n');
const badSchema = file('schema.topolab.json', { schema: 'topolab/1', nodes: [{ id: 'x', kind: 'router' }] });
const newer = file('newer.topolab.json', { schema: 'topolab/9', nodes: [] });

describe('topolab validate', () => {
  it('prints {"diagnostics":[...]} with --json and exits 0 or 1 by the errors found', async () => {
    const result = await run('validate', design, '--json');
    const parsed = JSON.parse(result.out) as { diagnostics: { severity: string }[] };
    expect(Object.keys(parsed)).toEqual(['diagnostics']);
    expect(Array.isArray(parsed.diagnostics)).toBe(true);
    expect(result.out.endsWith('}\n')).toBe(true);
    expect(result.code).toBe(parsed.diagnostics.some((d) => d.severity === 'error') ? 1 : 0);
  });

  it('prints a summary line naming the file', async () => {
    const result = await run('validate', design);
    expect(result.out).toMatch(new RegExp(`${design.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (no problems found|\\d+ errors?, \\d+ warnings?, \\d+ info)\\n$`));
  });

  it.each([
    ['a missing file', join(folder, 'nope.topolab.json'), /no such file/],
    ['invalid JSON, with line and column', badJson, /invalid JSON.*line \d+, column \d+/],
    ['a schema error, with its path', badSchema, /nodes\[0\]\.kind \(node "x"\)/],
    ['a newer schema version', newer, /newer Topolab \(schema topolab\/9\)/],
  ])('exits 2 with a one-line reason for %s, without a stack trace', async (_name, path, message) => {
    const result = await run('validate', path, '--json');
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toMatch(/^topolab: /);
    expect(result.err).toMatch(message);
    expect(result.err).not.toMatch(/\n\s+at /);
  });
});

describe('topolab trace', () => {
  // The first trace in this process loads the tracer's modules (seconds under vitest's
  // transform on a loaded machine: it crossed the 5 s test timeout in a full \`npm run check\`
  // at load 8); load them here, so each test below times only its own trace.
  beforeAll(async () => {
    await run('trace', design, '--from', 'user', '--to', 'lb', '--port', '80');
  }, 60_000);

  it('exits 0 and prints the exact --json shape for a reachable flow', async () => {
    const result = await run('trace', design, '--from', 'user', '--to', 'lb', '--port', '80', '--json');
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.out) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['verdict', 'hops']);
    expect(parsed['verdict']).toBe('reachable');
    const hops = parsed['hops'] as { kind: string; nodeId?: string; description: string }[];
    expect(hops.map((h) => h.kind)).toEqual(['node', 'internet', 'internet-gateway', 'subnet', 'route-table', 'return-route', 'node']);
    for (const hop of hops) expect(typeof hop.description).toBe('string');
  });

  it('exits 1 with blockedBy {code, nodeId, reason} for a blocked flow', async () => {
    const result = await run('trace', design, '--from', 'user', '--to', 'app', '--json');
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.out) as { verdict: string; blockedBy: Record<string, unknown> };
    expect(Object.keys(parsed)).toEqual(['verdict', 'hops', 'blockedBy']);
    expect(parsed.verdict).toBe('blocked');
    expect(Object.keys(parsed.blockedBy)).toEqual(['code', 'nodeId', 'reason']);
    expect(parsed.blockedBy).toMatchObject({ code: 'private-subnet', nodeId: 'priv' });
  });

  it('prints numbered hops and the verdict for people', async () => {
    const reachable = await run('trace', design, '--from', 'lb', '--to', 'app');
    expect(reachable.out).toMatch(/^1\. node\s+start at load balancer "lb" 10\.0\.0\.10:80$/m);
    expect(reachable.out).toMatch(/\nreachable\n$/);
    const blocked = await run('trace', design, '--from', 'app', '--to', '8.8.8.8');
    expect(blocked.code).toBe(1);
    expect(blocked.out).toMatch(/\nblocked at rt-main \(no-route\): route table "rt-main" has no route for 8\.8\.8\.8/);
    expect(blocked.out.includes(String.fromCharCode(27))).toBe(false);
  });

  it.each([
    [['--from', 'ghost', '--to', 'app'], /no node "ghost"/],
    [['--from', 'app', '--to', 'not-an-ip'], /neither a node id/],
    [['--from', 'rt-pub', '--to', 'app'], /is a route table/],
    [['--from', 'app', '--to', 'lb', '--port', '70000'], /--port/],
    [['--from', 'app', '--to', 'lb', '--protocol', 'sctp'], /--protocol.*expected one of tcp, udp, icmp/],
    [['--from', 'app', '--to', 'lb', '--source-port', '0'], /--source-port/],
    [['--from', 'app', '--to', 'lb', '--protocol', 'icmp', '--port', '80'], /icmp has no ports/],
    [['--from', 'app'], /--to/],
  ])('exits 2 for bad endpoints or flags: %j', async (flags, message) => {
    const result = await run('trace', design, ...flags);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toMatch(message);
  });

  it('traces the flow of an edge with --edge, on its port, as validate does; a group calls from every instance', async () => {
    const tiers = fileURLToPath(new URL('../../fixtures/lab/tiers.topolab.json', import.meta.url));
    const call = await run('trace', tiers, '--edge', 'web1-db', '--json');
    expect(call.code).toBe(0);
    const hops = (JSON.parse(call.out) as { hops: { kind: string; nodeId?: string; address?: string }[] }).hops;
    expect(hops[0]).toMatchObject({ kind: 'node', nodeId: 'web1', address: '10.0.2.10:8080' });
    expect(hops.at(-1)).toMatchObject({ kind: 'node', nodeId: 'db', address: '10.0.3.10:5432' });
    const group = JSON.parse((await run('trace', tiers, '--edge', 'workers-db', '--json')).out) as { instances: { id: string }[] };
    expect(group.instances.map((i) => i.id)).toEqual(['workers#1', 'workers#2']);
    const text = await run('trace', tiers, '--edge', 'reporter-audit');
    expect(text.out).toMatch(/peering "pcx"/);
    for (const [flags, message] of [
      [['--edge', 'nope'], /no edge "nope" in this design/],
      [['--edge', 'web1-db', '--from', 'web1'], /--edge traces that edge on its own port/],
      [['--edge', 'web1-db', '--port', '80'], /--edge traces that edge on its own port/],
      [['--edge', 'web1-db', '--protocol', 'udp'], /--edge traces that edge on its own port over tcp/],
    ] as const) {
      const bad = await run('trace', tiers, ...flags);
      expect([bad.code, bad.out]).toEqual([2, '']);
      expect(bad.err).toMatch(message);
    }
  });

  it('--edge with security groups: two servers of one subnet, one edge allowed and the other blocked by its own groups, as validate says', async () => {
    const groups = fileURLToPath(new URL('../../fixtures/routing/tiers-groups.topolab.json', import.meta.url));
    const allowed = await run('trace', groups, '--edge', 'a-db', '--json');
    expect(allowed.code).toBe(0);
    expect((JSON.parse(allowed.out) as { verdict: string }).verdict).toBe('reachable');
    const blocked = await run('trace', groups, '--edge', 'b-db', '--json');
    expect(blocked.code).toBe(1);
    const blockedBy = (JSON.parse(blocked.out) as { blockedBy: Record<string, unknown> }).blockedBy;
    expect(Object.keys(blockedBy)).toEqual(['code', 'nodeId', 'direction', 'reason']);
    expect(blockedBy).toMatchObject({ code: 'security-group', nodeId: 'web-b', direction: 'outbound' });
    const validate = await run('validate', groups, '--json');
    const diagnostics = (JSON.parse(validate.out) as { diagnostics: { code: string; path?: string; nodeIds: string[] }[] }).diagnostics;
    expect(diagnostics.filter((d) => d.code === 'connection-blocked').map((d) => [d.path, d.nodeIds])).toEqual([['b-db', ['web-b', 'db']]]);
  });

  it('--edge of a blocked edge: exit 1, blockedBy with the fix validate carries, printed as fix:', async () => {
    const internal = file('internal-lb.topolab.json', {
      schema: 'topolab/1',
      nodes: [
        { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' },
        { id: 'igw', kind: 'internet-gateway', parent: 'vpc' },
        { id: 'pub', kind: 'subnet', parent: 'vpc', cidr: '10.0.0.0/24' },
        { id: 'rt', kind: 'route-table', parent: 'vpc', main: true, routes: [{ destination: '0.0.0.0/0', target: 'igw' }] },
        { id: 'lb', kind: 'load-balancer', parent: 'pub' },
        { id: 'web', kind: 'server', parent: 'pub' },
        { id: 'visitor', kind: 'client', ip: '203.0.113.10' },
      ],
      edges: [{ id: 'e1', from: 'visitor', to: 'lb' }, { id: 'e2', from: 'lb', to: 'web' }],
    });
    const json = await run('trace', internal, '--edge', 'e1', '--json');
    expect(json.code).toBe(1);
    const fix = { title: 'Make lb internet-facing', nodeId: 'lb', field: 'internetFacing', value: true };
    const blockedBy = (JSON.parse(json.out) as { blockedBy: Record<string, unknown> }).blockedBy;
    // main's routing block shape, exactly, with the suggested fix after it.
    expect(Object.keys(blockedBy)).toEqual(['code', 'nodeId', 'reason', 'fix']);
    expect(blockedBy).toMatchObject({ code: 'not-internet-facing', nodeId: 'lb', fix });
    const diagnostics = (JSON.parse((await run('validate', internal, '--json')).out) as { diagnostics: { code: string; fix?: unknown }[] }).diagnostics;
    expect(diagnostics.find((d) => d.code === 'connection-blocked')).toMatchObject({ path: 'e1', nodeIds: ['lb', 'visitor'], fix });
    // The text output names the edge by its id too.
    expect((await run('validate', internal)).out).toMatch(/nodes: lb, visitor {2}at edge e1\n/);
    const text = await run('trace', internal, '--edge', 'e1');
    expect(text.code).toBe(1);
    expect(text.out).toContain('fix: Make lb internet-facing (lb.internetFacing = true)');
    expect(text.out).toMatch(/blocked at lb \(not-internet-facing\): /);
  });

  it('names a security group or network ACL that blocks, in the exact --json shapes, and takes --protocol and --source-port', async () => {
    const filters = fileURLToPath(new URL('../../fixtures/routing/filters.topolab.json', import.meta.url));
    const group = await run('trace', filters, '--from', 'db', '--to', 'web-1', '--json');
    expect(group.code).toBe(1);
    const sg = (JSON.parse(group.out) as { blockedBy: Record<string, unknown> }).blockedBy;
    expect(Object.keys(sg)).toEqual(['code', 'nodeId', 'direction', 'reason']);
    expect(sg).toMatchObject({ code: 'security-group', nodeId: 'db', direction: 'outbound' });
    const reply = await run('trace', filters, '--from', 'web-1', '--to', 'db', '--protocol', 'udp', '--port', '5432', '--json');
    expect(reply.code).toBe(1);
    expect(Object.keys((JSON.parse(reply.out) as { blockedBy: object }).blockedBy)).toEqual(['code', 'nodeId', 'direction', 'reason']);
    const text = await run('trace', filters, '--from', 'lb', '--to', 'web-1');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^ 2\. security-group\s+security group "sg-lb" of load balancer "lb" allows outbound tcp port 8080 to 10\.0\.1\.10: rule outbound\[0\] \(tcp 8080 to sg-web\)$/m);
    expect(text.out).toMatch(/network-acl\s+network ACL "acl-app" of subnet "app-a" allows the reply, outbound tcp ports 1024-65535 to 10\.0\.0\.20 .*: rule 100/);
    const acl = await run('trace', filters, '--from', 'web-1', '--to', 'db', '--source-port', '1500', '--json');
    expect(acl.code).toBe(1);
    const blocked = (JSON.parse(acl.out) as { blockedBy: Record<string, unknown> }).blockedBy;
    expect(Object.keys(blocked)).toEqual(['code', 'nodeId', 'direction', 'leg', 'rule', 'reason']);
    expect(blocked).toMatchObject({ code: 'network-acl', nodeId: 'acl-db', direction: 'outbound', leg: 'response', rule: null });
    const human = await run('trace', filters, '--from', 'web-1', '--to', 'db', '--source-port', '1500');
    expect(human.out).toMatch(/\nblocked at acl-db \(network-acl, outbound response, final deny\): network ACL "acl-db" of subnet "db-a" refuses the reply, outbound tcp port 1500 to 10\.0\.1\.10 \(the reply to server "web-1" on its source port\)/);
  });

  it('traces an auto-scaling group per instance: one line each, and `instances` in --json', async () => {
    const split = fileURLToPath(new URL('../../fixtures/lab/asg-split.topolab.json', import.meta.url));
    const text = await run('trace', split, '--from', 'lb', '--to', 'asg');
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/\nblocked at rt-app-main \(peering-no-return-route\): traffic to 2 of 4 instances of auto-scaling group "asg" is blocked: asg#2, asg#4 in subnet "app-b"; only asg#1, asg#3 in subnet "app-a" are reachable\. asg#2: /);
    expect(text.out.split('\n').slice(-5)).toEqual([
      '  asg#1  10.1.1.4:8080  app-a  reachable',
      '  asg#2  10.1.2.4:8080  app-b  blocked at rt-app-main',
      '  asg#3  10.1.1.5:8080  app-a  reachable',
      '  asg#4  10.1.2.5:8080  app-b  blocked at rt-app-main',
      '',
    ]);
    const json = JSON.parse((await run('trace', split, '--from', 'lb', '--to', 'asg', '--json')).out) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['verdict', 'hops', 'blockedBy', 'instances']);
    expect(json['instances']).toHaveLength(4);
    const one = await run('trace', split, '--from', 'lb', '--to', 'asg#1', '--json');
    expect(one.code).toBe(0);
    expect(Object.keys(JSON.parse(one.out) as object)).toEqual(['verdict', 'hops']);
    const none = await run('trace', split, '--from', 'lb', '--to', 'asg#9');
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/"asg#9" is none of them/);
  });

  it('exits 2 for an unreadable file', async () => {
    expect((await run('trace', badJson, '--from', 'a', '--to', 'b')).code).toBe(2);
  });
});

describe('topolab plan', () => {
  it('prints {"subnets":[{"cidr","zone"}]} in request order, zones in turn', async () => {
    const result = await run('plan', '--cidr', '10.0.0.0/16', '--sizes', '24,/24,20', '--zones', 'a,b', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual({
      subnets: [
        { cidr: '10.0.16.0/24', zone: 'a' },
        { cidr: '10.0.17.0/24', zone: 'b' },
        { cidr: '10.0.0.0/20', zone: 'a' },
      ],
    });
  });

  it('keeps existing subnets and accepts host counts', async () => {
    const result = await run('plan', '--cidr', '10.0.0.0/16', '--sizes', '500h', '--existing', '10.0.0.0/23', '--json');
    expect(JSON.parse(result.out)).toEqual({ subnets: [{ cidr: '10.0.2.0/23', zone: null }] });
  });

  it('exits 1 with {"error","free"} when the sizes do not fit', async () => {
    const result = await run('plan', '--cidr', '10.0.0.0/24', '--sizes', '25,25,25', '--json');
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.out) as { error: string; free: string[] };
    expect(Object.keys(parsed)).toEqual(['error', 'free']);
    expect(parsed.error).toMatch(/does not fit/);
    expect(parsed.free).toEqual(['10.0.0.0/24']);
  });

  it('follows the provider: azure allows a /29, AWS does not', async () => {
    expect((await run('plan', '--cidr', '10.0.0.0/24', '--sizes', '29', '--provider', 'azure', '--json')).code).toBe(0);
    expect((await run('plan', '--cidr', '10.0.0.0/24', '--sizes', '29', '--json')).code).toBe(1);
  });

  it.each([
    [['--cidr', '10.0.0.1/16', '--sizes', '24'], /host bits set.*10\.0\.0\.0\/16/],
    [['--cidr', '10.0.0.0/16', '--sizes', 'big'], /"big" is not a size/],
    [['--cidr', '10.0.0.0/16', '--sizes', '24', '--existing', '010.0.0.0/24'], /leading zero/],
    [['--cidr', '10.0.0.0/16', '--sizes', '24', '--provider', 'oracle'], /aws, azure, gcp, generic/],
    [['--sizes', '24'], /--cidr/],
  ])('exits 2 with a one-line error for bad input: %j', async (flags, message) => {
    const result = await run('plan', ...flags);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
  });
});

describe('topolab info', () => {
  it('prints the description as JSON', async () => {
    const result = await run('info', '10.0.0.0/16', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ cidr: '10.0.0.0/16', size: '65536', usableHosts: '65531', class: 'A', range: 'private', provider: 'aws' });
  });

  it('uses the provider for usable hosts and prints a table for people', async () => {
    const gcp = JSON.parse((await run('info', '10.0.0.0/24', '--provider', 'gcp', '--json')).out) as { usableHosts: string };
    expect(gcp.usableHosts).toBe('252');
    const human = await run('info', '2001:db8::/64');
    expect(human.out).toMatch(/^CIDR\s+2001:db8::\/64$/m);
    expect(human.out).toMatch(/^address space\s+documentation/m);
  });

  it.each([['10.0.0.5/16', /host bits/], ['300.0.0.0/8', /octet above 255/], ['10.0.0.0', /no prefix length/]])('exits 2 for %s', async (cidr, message) => {
    const result = await run('info', cidr);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
  });
});

describe('colour', () => {
  it('colours human output only when asked, never --json', () => {
    const diagnostics = [{ code: 'subnet-overlap' as const, severity: 'error' as const, message: 'm', nodeIds: ['a'], path: 'nodes[1].cidr' }];
    const escape = String.fromCharCode(27);
    expect(formatDiagnostics('f', diagnostics, true)).toContain(`${escape}[`);
    expect(formatDiagnostics('f', diagnostics, false)).not.toContain(escape);
    expect(formatDiagnostics('f', diagnostics, false)).toBe('Errors (1)\n  error   subnet-overlap  m\n          nodes: a  at nodes[1].cidr\n\nf: 1 error, 0 warnings, 0 info\n');
  });
});

describe('the program', () => {
  it('exits 2 on an unknown command and 0 on --help', async () => {
    expect((await run('frobnicate')).code).toBe(2);
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/validate.*\n.*plan.*\n.*trace.*\n.*info/s);
  });
});
