import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importTerraform } from '../../../core/import/index.js';
import { terraformNodeId } from '../../../core/import/ids.js';
import { safeParseTopology } from '../../../core/model/load.js';

/**
 * The Terraform import on a state (ids known: links by value) and on plans (ids unknown
 * before apply: links from `configuration` references, child modules included). The round
 * trip through real Terraform is test/integration/import/round-trip.test.ts.
 */
const state = { name: 'state.json', text: readFileSync(new URL('../../fixtures/import/terraform/state.json', import.meta.url), 'utf8') };

describe('import terraform: a state', () => {
  const built = importTerraform(state);
  const byId = new Map(built.topology.nodes.map((n) => [n.id, n]));

  it('uses resource addresses as ids, [0] as .0 and ["key"] as .key', () => {
    expect(terraformNodeId('aws_subnet.a[0]')).toBe('aws_subnet.a.0');
    expect(terraformNodeId('module.net.aws_subnet.this["app"]')).toBe('module.net.aws_subnet.this.app');
    expect(terraformNodeId('aws_subnet.a["web a/1"]')).toBe('aws_subnet.a.web_a_1');
    expect([...byId.keys()]).toEqual(expect.arrayContaining(['aws_vpc.main', 'module.net.aws_subnet.this.web_a', 'module.net.aws_instance.app.0']));
    expect(safeParseTopology(JSON.stringify(built.topology)).ok).toBe(true);
  });

  it('links by the ids the state knows, across modules', () => {
    expect(byId.get('module.net.aws_instance.app.0')).toMatchObject({ parent: 'module.net.aws_subnet.this.app', ip: '10.9.1.20', securityGroups: ['aws_security_group.web'] });
    expect(byId.get('aws_route_table.public')).toMatchObject({ subnets: ['module.net.aws_subnet.this.web_a'], routes: [{ destination: '0.0.0.0/0', target: 'aws_internet_gateway.gw' }] });
    expect(byId.get('aws_vpc.main')).toMatchObject({ secondaryCidrs: ['10.9.0.0/16'], tags: { owner: 'net' }, name: 'main' });
  });

  it('merges a separate rule with the group\'s inline rules once, and marks the default ACL', () => {
    const web = byId.get('aws_security_group.web');
    expect(web?.kind === 'security-group' ? web.inbound : []).toEqual([
      { protocol: 'tcp', ports: '443', source: '0.0.0.0/0' },
      { protocol: 'tcp', ports: '8080', source: 'aws_security_group.web' },
    ]);
    expect(byId.get('aws_default_network_acl.default')).toMatchObject({ default: true, subnets: ['module.net.aws_subnet.this.web_a'] });
  });

  it('adds the main table AWS makes with a VPC when Terraform does not manage one', () => {
    expect(byId.get('aws_vpc.main.main_route_table')).toMatchObject({ kind: 'route-table', main: true, routes: [] });
  });

  it('lists unmodelled resources and routes in ignored, and skips data sources', () => {
    expect(built.ignored).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'aws_s3_bucket', id: 'aws_s3_bucket.logs' }), expect.objectContaining({ type: 'Route', id: 'aws_route_table.public 10.50.0.0/16' })]));
    expect(built.ignored.some((i) => i.id.includes('aws_region'))).toBe(false);
  });
});

describe('import terraform: a plan', () => {
  /** A plan of a child module: no ids in planned_values, only references in configuration. */
  const plan = {
    format_version: '1.2',
    planned_values: {
      root_module: {
        child_modules: [
          {
            address: 'module.net',
            resources: [
              { address: 'module.net.aws_vpc.this', mode: 'managed', type: 'aws_vpc', name: 'this', values: { cidr_block: '10.30.0.0/16', tags: { Name: 'planned' } } },
              { address: 'module.net.aws_subnet.private[0]', mode: 'managed', type: 'aws_subnet', name: 'private', index: 0, values: { cidr_block: '10.30.0.0/24', availability_zone: 'eu-west-1a' } },
              { address: 'module.net.aws_subnet.private[1]', mode: 'managed', type: 'aws_subnet', name: 'private', index: 1, values: { cidr_block: '10.30.1.0/24', availability_zone: 'eu-west-1b' } },
              { address: 'module.net.aws_route_table.private', mode: 'managed', type: 'aws_route_table', name: 'private', values: { route: [{ cidr_block: '0.0.0.0/0' }] } },
              { address: 'module.net.aws_route_table_association.private[0]', mode: 'managed', type: 'aws_route_table_association', name: 'private', index: 0, values: {} },
              { address: 'module.net.aws_route_table_association.private[1]', mode: 'managed', type: 'aws_route_table_association', name: 'private', index: 1, values: {} },
              { address: 'module.net.aws_vpc_endpoint.s3', mode: 'managed', type: 'aws_vpc_endpoint', name: 's3', values: {} },
            ],
          },
        ],
      },
    },
    configuration: {
      root_module: {
        module_calls: {
          net: {
            module: {
              resources: [
                { address: 'aws_subnet.private', mode: 'managed', type: 'aws_subnet', name: 'private', expressions: { vpc_id: { references: ['aws_vpc.this.id', 'aws_vpc.this'] } } },
                { address: 'aws_route_table.private', mode: 'managed', type: 'aws_route_table', name: 'private', expressions: { vpc_id: { references: ['aws_vpc.this.id', 'aws_vpc.this'] }, route: [{ cidr_block: { constant_value: '0.0.0.0/0' }, vpc_endpoint_id: { references: ['aws_vpc_endpoint.s3.id', 'aws_vpc_endpoint.s3'] } }] } },
                { address: 'aws_route_table_association.private', mode: 'managed', type: 'aws_route_table_association', name: 'private', expressions: { subnet_id: { references: ['aws_subnet.private[count.index].id', 'aws_subnet.private'] }, route_table_id: { references: ['aws_route_table.private.id', 'aws_route_table.private'] } } },
              ],
            },
          },
        },
      },
    },
  };
  const built = importTerraform({ name: 'plan.json', text: JSON.stringify(plan) });
  const byId = new Map(built.topology.nodes.map((n) => [n.id, n]));

  it('rebuilds the links from configuration references, each counted association to the subnet of its own index', () => {
    expect(byId.get('module.net.aws_subnet.private.1')).toMatchObject({ parent: 'module.net.aws_vpc.this', zone: 'eu-west-1b' });
    expect(byId.get('module.net.aws_route_table.private')).toMatchObject({ parent: 'module.net.aws_vpc.this', subnets: ['module.net.aws_subnet.private.0', 'module.net.aws_subnet.private.1'], routes: [] });
    expect(built.ignored).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Route', reason: expect.stringContaining('aws_vpc_endpoint') as unknown as string }), expect.objectContaining({ type: 'aws_vpc_endpoint' })]));
    expect(built.topology.name).toBe('Imported from a Terraform plan');
  });
});
