import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { renderKubernetes } from '../../../core/export/kubernetes/index.js';
import { renderTerraform } from '../../../core/export/terraform/index.js';
import { parseTopology } from '../../../core/model/load.js';
import type { Topology } from '../../../core/model/types.js';
import { fixture } from './designs.js';

type Resource = Record<string, unknown>;

/** main.tf parsed: resource type -> name -> attributes. */
async function resources(topology: Topology): Promise<Record<string, Record<string, Resource>>> {
  const main = renderTerraform(topology).files.find((f) => f.path === 'main.tf')?.content ?? '';
  const parsed = (await parse('main.tf', main)) as { resource?: Record<string, Record<string, Resource[]>> };
  const out: Record<string, Record<string, Resource>> = {};
  for (const [type, byName] of Object.entries(parsed.resource ?? {})) out[type] = Object.fromEntries(Object.entries(byName).map(([name, list]) => [name, list[0] as Resource]));
  return out;
}

/**
 * Balancer `lb-web` listens on 80; behind it an auto-scaling group whose instances the lab
 * starts on 8080 (from the server drawn inside it, or from its template), and optionally a
 * second group on another port.
 */
function design(group: 'child' | 'template', second?: number): Topology {
  const asg = (id: string, parent: string, port: number, viaTemplate: boolean) => [
    { kind: 'autoscaling-group', id, parent, min: 1, max: 2, desired: 1, ...(viaTemplate ? { template: { port } } : {}) },
    ...(viaTemplate ? [] : [{ kind: 'server', id: `${id}-web`, parent: id, port }]),
  ];
  return parseTopology(
    JSON.stringify({
      schema: 'topolab/1',
      provider: 'aws',
      nodes: [
        { kind: 'vpc', id: 'vpc', cidr: '10.1.0.0/16' },
        { kind: 'subnet', id: 'public-a', parent: 'vpc', cidr: '10.1.1.0/24', zone: 'a' },
        { kind: 'subnet', id: 'public-b', parent: 'vpc', cidr: '10.1.2.0/24', zone: 'b' },
        { kind: 'subnet', id: 'app', parent: 'vpc', cidr: '10.1.10.0/24' },
        { kind: 'internet-gateway', id: 'igw', parent: 'vpc' },
        { kind: 'route-table', id: 'rt-public', parent: 'vpc', subnets: ['public-a', 'public-b'], routes: [{ destination: '0.0.0.0/0', target: 'igw' }] },
        { kind: 'route-table', id: 'rt-main', parent: 'vpc', main: true, routes: [] },
        { kind: 'load-balancer', id: 'lb-web', parent: 'public-a', port: 80, internetFacing: true, healthCheck: { type: 'http', path: '/health' } },
        ...asg('web-asg', 'app', 8080, group === 'template'),
        ...(second !== undefined ? asg('other-asg', 'app', second, true) : []),
      ],
      edges: [{ id: 'lb-asg', from: 'lb-web', to: 'web-asg' }, ...(second !== undefined ? [{ id: 'lb-other', from: 'lb-web', to: 'other-asg' }] : [])],
    }),
  );
}

describe("an auto-scaling group behind a balancer is registered at its instances' port, as the lab sends", () => {
  for (const group of ['child', 'template'] as const) {
    it(`Terraform: target group, its health check (traffic port) and the group's ingress use 8080, not the balancer's 80 (port from the ${group === 'child' ? 'server drawn inside the group' : 'template'})`, async () => {
      const res = await resources(design(group));
      const tg = res['aws_lb_target_group']?.['lb_web'];
      expect(tg?.['port']).toBe(8080);
      // The health check names no port: AWS checks each target at the port it is registered at.
      expect((tg?.['health_check'] as Resource[])[0]?.['port']).toBeUndefined();
      expect(res['aws_lb_listener']?.['lb_web']?.['port']).toBe(80);
      expect(res['aws_autoscaling_group']?.['web_asg']?.['target_group_arns']).toEqual(['${aws_lb_target_group.lb_web.arn}']);
      const fromLb = Object.values(res['aws_vpc_security_group_ingress_rule'] ?? {}).filter((r) => r['referenced_security_group_id'] === '${aws_security_group.lb_web_lb_sg.id}');
      expect(fromLb.map((r) => [r['from_port'], r['to_port']])).toEqual([[8080, 8080]]);
    });
  }

  it('Terraform: a group scaled to zero still opens its instances\' port (from the server drawn inside it), not 80', async () => {
    const topology = design('child');
    for (const node of topology.nodes) if (node.kind === 'autoscaling-group') Object.assign(node, { min: 0, desired: 0 });
    const res = await resources(topology);
    expect(res['aws_lb_target_group']?.['lb_web']?.['port']).toBe(8080);
    const fromLb = Object.values(res['aws_vpc_security_group_ingress_rule'] ?? {}).filter((r) => r['referenced_security_group_id'] === '${aws_security_group.lb_web_lb_sg.id}');
    expect(fromLb.map((r) => r['from_port'])).toEqual([8080]);
  });

  it('Terraform: servers attached one by one keep their own port beside a group on another (lb-web fixture)', async () => {
    const res = await resources(fixture('lb-web'));
    expect(res['aws_lb_target_group']?.['web_lb']?.['port']).toBe(8080);
    expect(res['aws_lb_target_group_attachment']?.['web_lb_web_1']?.['port']).toBe(80);
    expect(res['aws_lb_target_group_attachment']?.['web_lb_web_2']?.['port']).toBe(80);
    expect(res['aws_autoscaling_group']?.['app_asg']?.['target_group_arns']).toEqual(['${aws_lb_target_group.web_lb.arn}']);
  });

  it('Terraform: a second group on another port cannot share the target group: not attached, an error of the report', async () => {
    const topology = design('child', 9090);
    const res = await resources(topology);
    expect(res['aws_lb_target_group']?.['lb_web']?.['port']).toBe(8080);
    expect(res['aws_autoscaling_group']?.['other_asg']?.['target_group_arns']).toBeUndefined();
    expect(renderTerraform(topology).report.errors).toContainEqual(expect.objectContaining({ nodeId: 'other-asg', feature: 'target-port', detail: expect.stringMatching(/9090.*8080/) as unknown as string }));
  });

  it("Kubernetes: the group's pods listen on the port of the server drawn inside it", () => {
    const manifests = renderKubernetes(design('child')).files.map((f) => f.content).join('\n');
    expect(manifests).toMatch(/containerPort: 8080/);
    expect(manifests).not.toMatch(/containerPort: 80\b/);
  });
});
