import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderBind } from '../../../core/export/bind/index.js';
import { renderTerraform } from '../../../core/export/terraform/index.js';
import { parseTopology, type Topology } from '../../../core/model/index.js';
import { checkWithTerraform, terraformMissing } from './terraform-cli.js';
import { run, tempDir } from './tools.js';

const design = (): Topology => parseTopology(readFileSync(new URL('../../fixtures/dns/route53.topolab.json', import.meta.url), 'utf8'));

async function has(command: string, args: string[]): Promise<boolean> {
  try {
    return (await run(command, args, 10_000)).code === 0;
  } catch {
    return false;
  }
}

describe('BIND zone files', () => {
  let checkzone = false;
  beforeAll(async () => {
    checkzone = await has('named-checkzone', ['-v']);
    if (!checkzone) console.warn('named-checkzone is not installed (Debian bind9-utils): the zone files are not checked by BIND here');
  });

  it('named-checkzone loads every zone file, hostile TXT text included', async (ctx) => {
    if (!checkzone) return ctx.skip();
    const { dir, cleanup } = await tempDir('topolab-bind-');
    try {
      const { files } = renderBind(design());
      expect(files.map((f) => f.path)).toEqual(['shop.example.zone', 'internal.shop.vpc.zone']);
      for (const file of files) {
        await writeFile(join(dir, file.path), file.content);
        const zone = file.path.replace(/(\.vpc)?\.zone$/, '');
        const checked = await run('named-checkzone', ['-i', 'full', zone, join(dir, file.path)]);
        expect(checked.output, checked.output).toMatch(/loaded serial 1\nOK/);
        expect(checked.code).toBe(0);
      }
      // What BIND reads back: the canonical dump of the public zone.
      const dump = await run('named-checkzone', ['-D', '-o', '-', 'shop.example', join(dir, 'shop.example.zone')]);
      expect(dump.output).toMatch(/^www\.shop\.example\.\s+60\s+IN A\s+10\.0\.1\.10$/m);
      expect(dump.output).toMatch(/^docs\.shop\.example\.\s+300\s+IN CNAME\s+www\.shop\.example\.$/m);
      expect(dump.output).toMatch(/^shop\.example\.\s+300\s+IN TXT\s+"a \\"quoted\\" text with a back\\\\slash; and a semicolon.*" "x+"$/m);
      expect(dump.output).toMatch(/^app\.shop\.example\.\s+30\s+IN A\s+10\.0\.1\.4$/m);
    } finally {
      await cleanup();
    }
  });

  it('reports what a zone file cannot carry', () => {
    const { report } = renderBind(design());
    const details = report.approximated.map((e) => e.detail).join('\n');
    expect(details).toMatch(/api\.shop\.example: weights cannot be written/);
    expect(details).toMatch(/app\.shop\.example: failover has no zone-file form; only the primary is written/);
    expect(details).toMatch(/near\.shop\.example: latency routing needs views/);
    expect(report.notExpressible.map((e) => e.detail).join('\n')).toMatch(/a zone file has no health checks/);
  });
});

describe('Route 53 in the Terraform export', () => {
  const missing = terraformMissing();
  if (missing) console.warn(`${missing}: the offline terraform plan of the Route 53 export is skipped`);

  it.skipIf(missing !== undefined)('writes zones, records with their routing policies and health checks that an offline terraform plan accepts', async () => {
    // Real Terraform offline (terraform-cli.ts): the provider from the local mirror, fake credentials.
    const vars = { region: 'us-east-1', availability_zones: '["us-east-1a","us-east-1b","eu-west-1a"]', ami_id: 'ami-12345678' };
    const { init, plan, shown } = await checkWithTerraform(renderTerraform(design()).files, vars, { plan: true, showPlan: true });
    expect(init.code, init.output).toBe(0);
    expect(plan?.code, plan?.output).toBe(0);
    expect(shown?.code, shown?.output).toBe(0);
    const output = shown?.output ?? '';
    const changes = (JSON.parse(output.slice(output.indexOf('{'))) as { resource_changes: { type: string; name: string; change: { after: Record<string, unknown> } }[] }).resource_changes;
    const of = (type: string) => changes.filter((c) => c.type === type);
    expect(of('aws_route53_zone')).toHaveLength(2);
    expect(of('aws_route53_health_check')).toHaveLength(6);
    const record = (name: string) => of('aws_route53_record').find((c) => c.name === name)?.change.after ?? {};
    expect(record('shop_api_a_weighted_1')).toMatchObject({ name: 'api.shop.example', set_identifier: 'api.shop.example-weighted_1', weighted_routing_policy: [{ weight: 3 }] });
    expect(record('shop_app_a_primary')).toMatchObject({ failover_routing_policy: [{ type: 'PRIMARY' }], alias: [{ evaluate_target_health: true }] });
    expect(record('shop_app_a_secondary')).toMatchObject({ failover_routing_policy: [{ type: 'SECONDARY' }] });
    expect(record('shop_near_a_latency_2')).toMatchObject({ latency_routing_policy: [{ region: 'eu-west-1' }] });
    expect(record('shop_multi_a_multivalue_3')).toMatchObject({ multivalue_answer_routing_policy: true, records: ['203.0.113.7'] });
    expect(record('internal_db_a')).toMatchObject({ name: 'db.internal.shop', ttl: 60, records: ['10.0.1.99'] });
    const privateZone = of('aws_route53_zone').find((c) => c.name === 'internal')?.change.after;
    expect(privateZone?.['vpc']).toHaveLength(1);
  }, 300_000);
});
