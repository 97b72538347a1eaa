import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { renderTerraform } from '../../../core/export/terraform/index.js';
import { parseTopology } from '../../../core/model/load.js';

/**
 * Hostile text in a gateway (CORS origins, header values, scopes, an issuer, path literals)
 * reaches the HTTP API's Terraform only inside quoted strings: `${`/`%{` never start an
 * interpolation (they are doubled, which Terraform reads as the literal text), quotes never
 * end a string, and the values read back as written.
 */
describe('the HTTP API export with hostile values', () => {
  const design = parseTopology(
    JSON.stringify({
      schema: 'topolab/1',
      provider: 'aws',
      nodes: [
        { kind: 'vpc', id: 'vpc', cidr: '10.0.0.0/16' },
        { kind: 'subnet', id: 'net', parent: 'vpc', cidr: '10.0.1.0/24', zone: 'a' },
        {
          kind: 'reverse-proxy',
          id: 'gw',
          parent: 'net',
          ip: '10.0.1.5',
          gateway: {
            secrets: { jwks: 'jwks.json' },
            routes: [
              {
                id: 'r.1',
                path: "/a$b/{id}/x'(y)",
                upstreams: ['app'],
                requestHeaders: { add: { 'x-evil': '${var.region}"%{if true}' } },
                auth: { type: 'jwt', jwks: 'jwks', issuer: 'https://id.example/${x}', audience: 'a"b' },
                scopes: ['s:${y}'],
                cors: { origins: ['https://a.example"${z}'] },
              },
            ],
          },
        },
        { kind: 'server', id: 'app', parent: 'net', ip: '10.0.1.6', port: 8080 },
      ],
      edges: [],
    }),
  );

  it('writes every value as an escaped string literal', async () => {
    const main = renderTerraform(design).files.find((f) => f.path === 'main.tf')?.content ?? '';
    expect(main).not.toMatch(/[^$]\$\{var\.region\}"%/);
    const parsed = (await parse('main.tf', main)) as { resource: Record<string, Record<string, Record<string, unknown>[]>> };
    const integration = Object.values(parsed.resource['aws_apigatewayv2_integration'] ?? {})[0]?.[0];
    expect((integration?.['request_parameters'] as Record<string, string>)['overwrite:header.x-evil']).toBe('$${var.region}"%%{if true}');
    const route = Object.values(parsed.resource['aws_apigatewayv2_route'] ?? {}).map((r) => r[0]);
    expect(route.map((r) => r?.['route_key'])).toContain("ANY /a$b/{id}/x'(y)");
    expect(route[0]?.['authorization_scopes']).toEqual(['s:$${y}']);
    const authorizer = Object.values(parsed.resource['aws_apigatewayv2_authorizer'] ?? {})[0]?.[0] as { jwt_configuration: { issuer: string; audience: string[] }[] };
    expect(authorizer.jwt_configuration[0]).toEqual({ issuer: 'https://id.example/$${x}', audience: ['a"b'] });
  });

  it('writes one mapping per header, whatever its case, and keeps a request id the route sets itself', async () => {
    const raw = JSON.parse(JSON.stringify(design)) as { nodes: { id: string; gateway?: { routes: { requestHeaders?: unknown }[] } }[] };
    const gw = raw.nodes.find((n) => n.id === 'gw');
    if (gw?.gateway?.routes[0]) gw.gateway.routes[0].requestHeaders = { add: { 'X-Request-Id': 'fixed', 'X-A': '1', 'x-a': '2' } };
    const main = renderTerraform(parseTopology(JSON.stringify({ ...raw, schema: 'topolab/1' }))).files.find((f) => f.path === 'main.tf')?.content ?? '';
    const parsed = (await parse('main.tf', main)) as { resource: Record<string, Record<string, Record<string, unknown>[]>> };
    const integration = Object.values(parsed.resource['aws_apigatewayv2_integration'] ?? {})[0]?.[0];
    expect(integration?.['request_parameters']).toEqual({ 'overwrite:header.x-request-id': 'fixed', 'overwrite:header.x-a': '2' });
  });
});
