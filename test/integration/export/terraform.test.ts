import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { renderTerraform } from '../../../core/export/terraform/index.js';
import { exportDesigns } from './fixtures.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every `${...}` interpolation in the parsed files (`$${` is an escaped literal, not one). */
function interpolations(value: Json, out: string[] = []): string[] {
  if (typeof value === 'string') {
    for (const match of value.matchAll(/(?<!\$)\$\{([^}]*)\}/g)) out.push(match[1] as string);
  } else if (Array.isArray(value)) value.forEach((v) => interpolations(v, out));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => interpolations(v, out));
  return out;
}

/** `type.name` references (resources) and `var.x` references in an expression. */
function references(expression: string): string[] {
  return [...expression.matchAll(/\b((?:aws_[a-z0-9_]+|var)\.[A-Za-z_][A-Za-z0-9_-]*)/g)].map((m) => m[1] as string);
}

describe.each(exportDesigns())('$name', ({ topology }) => {
  it('parses as HCL, every reference resolves and CIDRs are the design\'s', async () => {
    const { files } = renderTerraform(topology);
    expect(files.map((f) => f.path)).toEqual(['main.tf', 'variables.tf', 'outputs.tf']);
    const parsed: Record<string, Record<string, Json>> = {};
    for (const file of files) parsed[file.path] = (await parse(file.path, file.content)) as Record<string, Json>;
    const main = parsed['main.tf'] as Record<string, Json>;
    const resources = (main['resource'] ?? {}) as Record<string, Record<string, Json>>;
    const declared = new Set<string>();
    for (const [type, byName] of Object.entries(resources)) for (const name of Object.keys(byName)) declared.add(`${type}.${name}`);
    const variables = Object.keys((parsed['variables.tf']?.['variable'] ?? {}) as Record<string, Json>);
    for (const name of variables) declared.add(`var.${name}`);

    const used = Object.values(parsed).flatMap((file) => interpolations(file as Json)).flatMap(references);
    expect(used.length).toBeGreaterThan(0);
    for (const reference of used) expect(declared, `${reference} is not declared`).toContain(reference);

    // No region and no credentials in the files: both come from variables and the environment.
    const provider = (main['provider'] as Record<string, Json[]>)['aws']?.[0] as Record<string, Json>;
    expect(provider['region']).toBe('${var.region}');
    for (const file of files) expect(file.content).not.toMatch(/access_key|secret_key|profile\s*=/);

    const cidrsOf = (type: string): string[] =>
      Object.values(resources[type] ?? {}).map((list) => {
        const resource = (list as Json[])[0] as Record<string, Json>;
        // An IPv6 design block is `ipv6_cidr_block`; `cidr_block` is then the IPv4 block AWS requires.
        return (resource['ipv6_cidr_block'] ?? resource['cidr_block']) as string;
      }).sort();
    const designVpcs = topology.nodes.flatMap((n) => (n.kind === 'vpc' ? [n.cidr] : [])).sort();
    const designSubnets = topology.nodes.flatMap((n) => (n.kind === 'subnet' && n.parent !== undefined ? [n.cidr] : [])).sort();
    expect(cidrsOf('aws_vpc')).toEqual(designVpcs);
    expect(cidrsOf('aws_subnet')).toEqual(designSubnets);
    // Names and tags come back byte for byte (after HCL's own `$${` escape), whatever they hold.
    const unescape = (text: string): string => text.replace(/([$%])\1\{/g, '$1{');
    for (const byName of Object.values(resources)) {
      for (const list of Object.values(byName)) {
        const tags = ((list as Json[])[0] as Record<string, Json>)['tags'] as Record<string, string> | undefined;
        if (!tags?.['topolab-id']) continue;
        const node = topology.nodes.find((n) => n.id === tags['topolab-id']);
        expect(node).toBeDefined();
        expect(unescape(tags['Name'] as string)).toBe(node?.name ?? node?.id);
        for (const [key, value] of Object.entries(node?.tags ?? {})) if (key !== 'Name') expect(unescape(tags[key] as string)).toBe(value);
      }
    }
    const secondary = topology.nodes.flatMap((n) => (n.kind === 'vpc' ? (n.secondaryCidrs ?? []) : [])).sort();
    expect(cidrsOf('aws_vpc_ipv4_cidr_block_association')).toEqual(secondary);
  });
});
