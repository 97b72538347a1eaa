import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBind } from '../../../core/export/bind/index.js';
import { renderTerraform } from '../../../core/export/terraform/index.js';
import { parseTopology, type Topology } from '../../../core/model/index.js';
import { run, tempDir } from './tools.js';

const design = (): Topology => parseTopology(readFileSync(new URL('../../fixtures/dns/route53.topolab.json', import.meta.url), 'utf8'));

/** Where a local provider mirror lives on this machine kind (see issue 15: no network is needed). */
const MIRROR = '/opt/tf-plugins';

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
  let terraform = false;
  let work: { dir: string; cleanup: () => Promise<void> } | undefined;
  beforeAll(async () => {
    terraform = (await has('terraform', ['version'])) && existsSync(MIRROR);
    if (!terraform) console.warn(`terraform or its provider mirror ${MIRROR} is missing: the offline terraform plan is skipped`);
  });
  afterAll(async () => {
    await work?.cleanup();
  });

  it('writes zones, records with their routing policies and health checks that an offline terraform plan accepts', async (ctx) => {
    if (!terraform) return ctx.skip();
    work = await tempDir('topolab-route53-');
    const { dir } = work;
    for (const file of renderTerraform(design()).files) await writeFile(join(dir, file.path), file.content);
    // Fake credentials and no metadata lookups: the plan never leaves this machine.
    await writeFile(
      join(dir, 'provider_override.tf'),
      'provider "aws" {\n  access_key                  = "AKIAFAKEFAKEFAKEFAKE"\n  secret_key                  = "fake"\n  skip_credentials_validation = true\n  skip_requesting_account_id  = true\n  skip_metadata_api_check     = true\n}\n',
    );
    await writeFile(join(dir, 'cli.tfrc'), `provider_installation {\n  filesystem_mirror {\n    path    = "${MIRROR}"\n    include = ["registry.terraform.io/hashicorp/*"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n`);
    await mkdir(join(dir, 'data'), { recursive: true });
    const env = { TF_CLI_CONFIG_FILE: join(dir, 'cli.tfrc'), TF_DATA_DIR: join(dir, 'data'), AWS_EC2_METADATA_DISABLED: 'true', TF_IN_AUTOMATION: '1' };
    const tf = (...args: string[]) => run('env', [...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'terraform', `-chdir=${dir}`, ...args], 240_000);
    const init = await tf('init', '-input=false', '-no-color');
    expect(init.code, init.output).toBe(0);
    const plan = await tf('plan', '-refresh=false', '-input=false', '-no-color', '-var', 'region=us-east-1', '-var', 'availability_zones=["us-east-1a","us-east-1b","eu-west-1a"]', '-var', 'ami_id=ami-12345678', '-out=plan.bin');
    expect(plan.code, plan.output).toBe(0);
    const shown = await tf('show', '-json', 'plan.bin');
    expect(shown.code).toBe(0);
    const changes = (JSON.parse(shown.output.slice(shown.output.indexOf('{'))) as { resource_changes: { type: string; name: string; change: { after: Record<string, unknown> } }[] }).resource_changes;
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
