import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { renderTerraform } from '../../../core/export/terraform/index.js';
import type { Topology } from '../../../core/model/types.js';
import { fixture } from './designs.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTopology } from '../../../core/model/load.js';
import { ROOT } from './designs.js';

type Resource = Record<string, unknown>;

/** main.tf parsed: resource type -> name -> attributes. */
async function resources(topology: Topology): Promise<Record<string, Record<string, Resource>>> {
  const main = renderTerraform(topology).files.find((f) => f.path === 'main.tf')?.content ?? '';
  const parsed = (await parse('main.tf', main)) as { resource?: Record<string, Record<string, Resource[]>> };
  const out: Record<string, Record<string, Resource>> = {};
  for (const [type, byName] of Object.entries(parsed.resource ?? {})) out[type] = Object.fromEntries(Object.entries(byName).map(([name, list]) => [name, list[0] as Resource]));
  return out;
}

const example = (name: string): Topology => parseTopology(readFileSync(join(ROOT, 'examples', `${name}.topolab.json`), 'utf8'));

/** The ingress rules of the group an instance uses. */
function ingressOf(res: Record<string, Record<string, Resource>>, instance: string): Resource[] {
  const groups = (res['aws_instance']?.[instance]?.['vpc_security_group_ids'] as string[] | undefined) ?? [];
  const group = /aws_security_group\.([A-Za-z0-9_]+)\.id/.exec(groups[0] ?? '')?.[1];
  return Object.values(res['aws_vpc_security_group_ingress_rule'] ?? {}).filter((r) => r['security_group_id'] === `\${aws_security_group.${group}.id}`);
}

describe('Terraform for AWS', () => {
  it('an application target group with a TCP health check checks over HTTP (AWS refuses TCP there), reported', async () => {
    const topology = fixture('aws-edges');
    const check = ((await resources(topology))['aws_lb_target_group']?.['alb']?.['health_check'] as Resource[])[0];
    expect(check).toMatchObject({ protocol: 'HTTP', path: '/', matcher: '200-499' });
    expect(renderTerraform(topology).report.approximated).toContainEqual(expect.objectContaining({ nodeId: 'alb', feature: 'health-check-type' }));
  });

  it('proxies, caches, their backends and a database across a peering get ingress rules', async () => {
    const res = await resources(fixture('aws-edges'));
    const gw = ingressOf(res, 'gw');
    // The internet-facing reverse proxy and cache are open on their own ports to anyone.
    expect(gw).toContainEqual(expect.objectContaining({ cidr_ipv4: '0.0.0.0/0', from_port: 8443, to_port: 8443 }));
    expect(ingressOf(res, 'edge_cache')).toContainEqual(expect.objectContaining({ cidr_ipv4: '0.0.0.0/0', from_port: 80 }));
    // The backends admit the groups of the balancer, the proxy and the cache that send to them.
    const app1 = ingressOf(res, 'app_1');
    const refs = app1.map((r) => r['referenced_security_group_id']);
    expect(refs).toContain('${aws_security_group.alb_lb_sg.id}');
    expect(refs).toContain(`\${aws_security_group.${/aws_security_group\.([a-z0-9_]+)\.id/.exec(String((res['aws_instance']?.['gw']?.['vpc_security_group_ids'] as string[])[0]))?.[1]}.id}`);
    expect(refs).toContain(`\${aws_security_group.${/aws_security_group\.([a-z0-9_]+)\.id/.exec(String((res['aws_instance']?.['edge_cache']?.['vpc_security_group_ids'] as string[])[0]))?.[1]}.id}`);
    expect(ingressOf(res, 'api_1')).toContainEqual(expect.objectContaining({ from_port: 9000, to_port: 9000 }));
    // The database in the peered VPC admits the proxy's address on its port.
    expect(ingressOf(res, 'db')).toEqual([expect.objectContaining({ cidr_ipv4: '10.30.1.4/32', ip_protocol: 'tcp', from_port: 5432, to_port: 5432 })]);
  });

  it('the vpc-peering example: the database admits the API across the peering', async () => {
    const res = await resources(example('vpc-peering'));
    expect(ingressOf(res, 'db')).toEqual([expect.objectContaining({ from_port: 5432 })]);
  });

  it('internet-facing reverse proxy and cache instances get an Elastic IP, after the internet gateway, with an output', async () => {
    const topology = fixture('aws-edges');
    const res = await resources(topology);
    for (const name of ['gw', 'edge_cache']) {
      expect(res['aws_eip']?.[name]).toMatchObject({ domain: 'vpc', instance: `\${aws_instance.${name}.id}`, depends_on: ['${aws_internet_gateway.igw}'] });
    }
    expect(res['aws_eip']?.['app_1']).toBeUndefined();
    const outputs = renderTerraform(topology).files.find((f) => f.path === 'outputs.tf')?.content ?? '';
    expect(outputs).toContain('output "gw_public_ip"');
  });

  it('an IPv6 application load balancer is dual-stack, its target group IPv6', async () => {
    const res = await resources(fixture('ipv6'));
    expect(res['aws_lb']?.['lb6']?.['ip_address_type']).toBe('dualstack');
    expect(res['aws_lb_target_group']?.['lb6']?.['ip_address_type']).toBe('ipv6');
  });

  it('a single-subnet application load balancer is an error of the report, with what to do', () => {
    const { report } = renderTerraform(fixture('lb-web'));
    expect(report.errors).toEqual([expect.objectContaining({ nodeId: 'web-lb', feature: 'zones', detail: expect.stringMatching(/single subnet.*AWS refuses/) as unknown as string, action: expect.stringMatching(/second zone/) as unknown as string })]);
    expect(report.approximated.some((e) => e.feature === 'zones')).toBe(false);
    // Two subnets in two zones sharing the route table: no error.
    expect(renderTerraform(fixture('aws-edges')).report.errors).toBeUndefined();
    expect(renderTerraform(example('nginx-two-backends')).report.errors).toBeUndefined();
  });

  it('subnets that name no zone get a zone slot each, so two of them never share a zone by accident', async () => {
    const res = await resources(example('nginx-two-backends'));
    const zones = ['public', 'backend', 'public_b'].map((s) => res['aws_subnet']?.[s]?.['availability_zone']);
    expect(new Set(zones).size).toBe(3);
  });

  it('timeoutMs becomes idle_timeout (whole seconds, reported as approximated); an NLB reports it is not written', async () => {
    const topology = fixture('aws-edges');
    expect((await resources(topology))['aws_lb']?.['alb']?.['idle_timeout']).toBe(3);
    expect(renderTerraform(topology).report.approximated).toContainEqual(expect.objectContaining({ nodeId: 'alb', feature: 'timeout', detail: expect.stringContaining('idle_timeout = 3') as unknown as string }));
    const nlb = structuredClone(topology);
    const alb = nlb.nodes.find((n) => n.id === 'alb');
    if (alb?.kind === 'load-balancer') Object.assign(alb, { layer: 4, healthCheck: undefined });
    expect(renderTerraform(nlb).report.notExpressible).toContainEqual(expect.objectContaining({ nodeId: 'alb', feature: 'timeout', action: expect.any(String) as unknown as string }));
  });
});
