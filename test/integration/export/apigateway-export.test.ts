import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { renderTerraform } from '../../../core/export/terraform/index.js';
import { parseTopology } from '../../../core/model/load.js';
import type { Topology } from '../../../core/model/types.js';
import { validateTopology } from '../../../core/validate/index.js';
import { checkWithTerraform, terraformMissing } from './terraform-cli.js';

/**
 * An API gateway exported to Terraform as an AWS API Gateway v2 HTTP API: the resources and
 * the report lines, then real `terraform plan` (offline, the provider from the local mirror),
 * which validates every block against the AWS provider's schema first.
 */
function design(): Topology {
  return parseTopology(
    JSON.stringify({
      schema: 'topolab/1',
      provider: 'aws',
      nodes: [
        { kind: 'vpc', id: 'vpc', cidr: '10.0.0.0/16' },
        { kind: 'subnet', id: 'public', parent: 'vpc', cidr: '10.0.1.0/24', zone: 'a' },
        { kind: 'subnet', id: 'private-a', parent: 'vpc', cidr: '10.0.2.0/24', zone: 'a' },
        { kind: 'subnet', id: 'private-b', parent: 'vpc', cidr: '10.0.3.0/24', zone: 'b' },
        { kind: 'internet-gateway', id: 'igw', parent: 'vpc' },
        { kind: 'route-table', id: 'rt-public', parent: 'vpc', subnets: ['public'], routes: [{ destination: '0.0.0.0/0', target: 'igw' }] },
        { kind: 'route-table', id: 'rt-private', parent: 'vpc', main: true, routes: [] },
        { kind: 'client', id: 'user', ip: '198.51.100.7' },
        {
          kind: 'reverse-proxy',
          id: 'gw',
          parent: 'public',
          ip: '10.0.1.20',
          internetFacing: true,
          tls: { hosts: ['api.shop.example'] },
          gateway: {
            secrets: { keys: 'keys.json', users: 'users.json', jwks: 'jwks.json' },
            routes: [
              {
                id: 'users',
                methods: ['GET', 'PUT'],
                path: '/users/{id}',
                rewrite: '/v2/users/{id}',
                upstreams: ['users'],
                auth: { type: 'api-key', keys: 'keys' },
                requestHeaders: { add: { 'x-from-gateway': 'yes' }, remove: ['x-drop'] },
                cors: { origins: ['https://app.example'], methods: ['GET', 'PUT'], headers: ['x-api-key'], credentials: true, maxAgeSeconds: 120 },
              },
              { id: 'orders', path: '/orders/*', upstreams: ['orders-lb'], auth: { type: 'jwt', jwks: 'jwks', issuer: 'https://id.shop.example', audience: 'orders-api' }, scopes: ['orders:read'], rateLimit: { rate: 20, burst: 40, per: 'route' } },
              { id: 'partners', path: '/partners/*', upstreams: ['users'], auth: { type: 'jwt', jwks: 'jwks', audience: 'partners' } },
              { id: 'admin', path: '/admin/*', upstreams: ['users'], auth: { type: 'basic', users: 'users' }, scopes: ['admin'] },
              { id: 'files', path: '/api/files/*', stripPrefix: '/api', upstreams: ['users', 'files'], rateLimit: { rate: 2.5, burst: 5 } },
              { id: 'status-host', host: 'status.shop.example', methods: ['GET'], path: '/status', upstreams: ['files'] },
              { id: 'status', methods: ['GET'], path: '/status', upstreams: ['users'] },
              { id: 'web', priority: -10, path: '/*', upstreams: ['users'], responseHeaders: { add: { 'cache-control': 'no-store' } } },
            ],
          },
        },
        { kind: 'server', id: 'users', parent: 'private-a', ip: '10.0.2.10', port: 8080 },
        { kind: 'server', id: 'files', parent: 'private-a', ip: '10.0.2.11', port: 8080 },
        { kind: 'load-balancer', id: 'orders-lb', parent: 'private-a', ip: '10.0.2.20', layer: 7, algorithm: 'round-robin' },
        { kind: 'server', id: 'orders-1', parent: 'private-a', ip: '10.0.2.30', port: 9000 },
        { kind: 'server', id: 'orders-2', parent: 'private-b', ip: '10.0.3.30', port: 9000 },
      ],
      edges: [
        { id: 'user-gw', from: 'user', to: 'gw' },
        { id: 'lb-1', from: 'orders-lb', to: 'orders-1' },
        { id: 'lb-2', from: 'orders-lb', to: 'orders-2' },
      ],
    }),
  );
}

type Resource = Record<string, unknown>;

async function resources(main: string): Promise<Record<string, Record<string, Resource>>> {
  const parsed = (await parse('main.tf', main)) as { resource?: Record<string, Record<string, Resource[]>> };
  const out: Record<string, Record<string, Resource>> = {};
  for (const [type, byName] of Object.entries(parsed.resource ?? {})) out[type] = Object.fromEntries(Object.entries(byName).map(([name, list]) => [name, list[0] as Resource]));
  return out;
}

const missing = terraformMissing();
if (missing) console.log(`apigateway-export.test.ts: terraform plan skipped: ${missing}; install Terraform and the AWS provider mirror under /opt/tf-plugins to run it`);

describe('an API gateway in the Terraform export', () => {
  const topology = design();
  const result = renderTerraform(topology);
  const file = (path: string): string => result.files.find((f) => f.path === path)?.content ?? '';
  const lines = (list: 'expressed' | 'approximated' | 'notExpressible', feature: string): string[] => result.report[list].filter((e) => e.nodeId === 'gw' && e.feature === feature).map((e) => e.detail);

  it('is a valid design, and the gateway is an HTTP API, not an instance', async () => {
    expect(validateTopology(topology).filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.report.errors).toBeUndefined();
    const res = await resources(file('main.tf'));
    expect(res['aws_instance']?.['gw']).toBeUndefined();
    expect(res['aws_apigatewayv2_api']?.['gw']).toMatchObject({ protocol_type: 'HTTP' });
    expect((res['aws_apigatewayv2_api']?.['gw']?.['cors_configuration'] as Resource[])[0]).toMatchObject({ allow_origins: ['https://app.example'], allow_methods: ['GET', 'PUT'], allow_headers: ['x-api-key'], allow_credentials: true, max_age: 120 });
    expect(res['aws_apigatewayv2_vpc_link']?.['gw']).toMatchObject({ subnet_ids: ['${aws_subnet.public.id}'] });
  });

  it('writes a route key per method and path, {proxy+} for a trailing *, and $default for the catch-all', async () => {
    const res = await resources(file('main.tf'));
    const keys = Object.values(res['aws_apigatewayv2_route'] ?? {}).map((r) => r['route_key']);
    expect(keys).toEqual(expect.arrayContaining(['GET /users/{id}', 'HEAD /users/{id}', 'PUT /users/{id}', 'ANY /orders/{proxy+}', 'ANY /orders', 'ANY /api/files/{proxy+}', 'ANY /api/files', 'GET /status', '$default']));
    // Route keys hold no host: the second GET /status cannot be written, and the report says so.
    expect(keys.filter((k) => k === 'GET /status')).toHaveLength(1);
    expect(result.report.notExpressible).toContainEqual(expect.objectContaining({ nodeId: 'gw', feature: 'gateway-route', detail: expect.stringContaining('route status: "GET /status" is already route status-host\'s') }));
    expect(lines('approximated', 'gateway-host')).toEqual([expect.stringContaining('route status-host')]);
    expect(lines('expressed', 'gateway')).toEqual([expect.stringContaining("7 of the design's 8 route(s)")]);
  });

  it('sends each route through the VPC link: a balancer by its listener, instances through Cloud Map, with the rewrites and header edits', async () => {
    const res = await resources(file('main.tf'));
    const integrations = res['aws_apigatewayv2_integration'] ?? {};
    expect(integrations['gw_orders']).toMatchObject({ integration_type: 'HTTP_PROXY', connection_type: 'VPC_LINK', integration_uri: '${aws_lb_listener.orders_lb.arn}', connection_id: '${aws_apigatewayv2_vpc_link.gw.id}', payload_format_version: '1.0' });
    expect(integrations['gw_users']).toMatchObject({ integration_uri: '${aws_service_discovery_service.gw_users.arn}' });
    expect(integrations['gw_users']?.['request_parameters']).toMatchObject({ 'overwrite:path': '/v2/users/$request.path.id', 'overwrite:header.x-from-gateway': 'yes', 'remove:header.x-drop': "''" });
    expect(integrations['gw_files']?.['request_parameters']).toMatchObject({ 'overwrite:path': '/files/$request.path.proxy' });
    expect(integrations['gw_files_bare']?.['request_parameters']).toMatchObject({ 'overwrite:path': '/files' });
    expect(Object.values(res['aws_service_discovery_instance'] ?? {}).filter((i) => i['service_id'] === '${aws_service_discovery_service.gw_files_users.id}')).toHaveLength(2);
    expect(res['aws_service_discovery_instance']?.['gw_users_users']?.['attributes']).toEqual({ AWS_INSTANCE_IPV4: '${aws_instance.users.private_ip}', AWS_INSTANCE_PORT: '8080' });
    expect(lines('approximated', 'gateway-route')).toEqual([expect.stringContaining('route files: API Gateway picks one of the Cloud Map service\'s instances (users, files) at random')]);
    expect(lines('notExpressible', 'gateway-headers')).toEqual([expect.stringContaining('route web: response header edits are not written')]);
  });

  it('checks JWTs with a JWT authorizer and scopes; API keys and basic get a Lambda authorizer the user supplies, reported as not expressible', async () => {
    const res = await resources(file('main.tf'));
    const authorizers = res['aws_apigatewayv2_authorizer'] ?? {};
    expect(authorizers['gw_jwt']).toMatchObject({ authorizer_type: 'JWT', identity_sources: ['$request.header.Authorization'], jwt_configuration: [{ issuer: 'https://id.shop.example', audience: ['orders-api'] }] });
    // No issuer in the design: API Gateway needs one, so it is a variable.
    expect(authorizers['gw_jwt_2']).toMatchObject({ jwt_configuration: [{ issuer: '${var.gw_jwt_2_issuer}', audience: ['partners'] }] });
    expect(file('variables.tf')).toContain('variable "gw_jwt_2_issuer"');
    const routes = Object.values(res['aws_apigatewayv2_route'] ?? {});
    expect(routes.find((r) => r['route_key'] === 'ANY /orders/{proxy+}')).toMatchObject({ authorization_type: 'JWT', authorizer_id: '${aws_apigatewayv2_authorizer.gw_jwt.id}', authorization_scopes: ['orders:read'] });
    expect(authorizers['gw_api_key']).toMatchObject({ authorizer_type: 'REQUEST', identity_sources: ['$request.header.x-api-key'], enable_simple_responses: true });
    expect(routes.find((r) => r['route_key'] === 'PUT /users/{id}')).toMatchObject({ authorization_type: 'CUSTOM', authorizer_id: '${aws_apigatewayv2_authorizer.gw_api_key.id}' });
    expect(routes.find((r) => r['route_key'] === 'ANY /admin')).toMatchObject({ authorization_type: 'CUSTOM', authorizer_id: '${aws_apigatewayv2_authorizer.gw_basic.id}' });
    // No route that the design guards is left open.
    for (const r of routes.filter((r) => /users|orders|partners|admin/.test(String(r['route_key'])))) expect(r['authorization_type']).toBeDefined();
    expect(file('variables.tf')).toContain('variable "gw_api_key_authorizer_arn"');
    expect(lines('notExpressible', 'gateway-api-key')).toEqual([expect.stringContaining('REQUEST Lambda authorizer on $request.header.x-api-key whose function the export does not write')]);
    expect(lines('notExpressible', 'gateway-basic')).toEqual([expect.stringContaining('it must also check the scopes admin')]);
    expect(lines('approximated', 'gateway-jwt')).toHaveLength(2);
  });

  it('throttles per route in the $default stage, and maps the TLS host name as a custom domain with an ACM certificate', async () => {
    const res = await resources(file('main.tf'));
    const stage = res['aws_apigatewayv2_stage']?.['gw'] as Resource;
    expect(stage).toMatchObject({ name: '$default', auto_deploy: true });
    const settings = stage['route_settings'] as Resource[];
    expect(settings).toContainEqual(expect.objectContaining({ route_key: 'ANY /orders/{proxy+}', throttling_rate_limit: 20, throttling_burst_limit: 40 }));
    expect(settings).toContainEqual(expect.objectContaining({ route_key: 'ANY /api/files', throttling_rate_limit: 2.5, throttling_burst_limit: 5 }));
    expect(lines('expressed', 'gateway-rate-limit')).toEqual([expect.stringContaining('route orders')]);
    expect(lines('approximated', 'gateway-rate-limit')).toEqual([expect.stringContaining('one bucket for the whole route, where the lab keeps one per client address')]);
    expect(res['aws_acm_certificate']?.['gw']).toMatchObject({ domain_name: 'api.shop.example', validation_method: 'DNS' });
    expect(res['aws_apigatewayv2_domain_name']?.['gw_api_shop_example']).toMatchObject({ domain_name: 'api.shop.example', domain_name_configuration: [{ certificate_arn: '${aws_acm_certificate.gw.arn}', endpoint_type: 'REGIONAL', security_policy: 'TLS_1_2' }] });
    expect(res['aws_apigatewayv2_api_mapping']?.['gw_api_shop_example']).toMatchObject({ api_id: '${aws_apigatewayv2_api.gw.id}', stage: '${aws_apigatewayv2_stage.gw.id}' });
  });

  it.skipIf(missing !== undefined)('passes terraform plan (offline, which validates against the provider schema first)', { timeout: 600_000 }, async () => {
    const vars = {
      region: 'eu-west-1',
      availability_zones: JSON.stringify(['eu-west-1a', 'eu-west-1b']),
      ami_id: 'ami-12345678',
      gw_jwt_2_issuer: 'https://partners.example',
      gw_api_key_authorizer_arn: 'arn:aws:lambda:eu-west-1:123456789012:function:keys',
      gw_basic_authorizer_arn: 'arn:aws:lambda:eu-west-1:123456789012:function:basic',
    };
    const check = await checkWithTerraform(result.files, vars, { plan: true });
    expect(check.init.code, check.init.output).toBe(0);
    expect(check.plan?.code, check.plan?.output).toBe(0);
    expect(check.plan?.output).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);
    for (const type of ['aws_apigatewayv2_api', 'aws_apigatewayv2_stage', 'aws_apigatewayv2_route', 'aws_apigatewayv2_integration', 'aws_apigatewayv2_authorizer', 'aws_apigatewayv2_vpc_link', 'aws_apigatewayv2_domain_name', 'aws_apigatewayv2_api_mapping', 'aws_service_discovery_service']) {
      expect(check.plan?.output).toContain(`${type}.`);
    }
  });
});
