import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { exportDesigns, ROOT } from '../../unit/export/designs.js';
import { checkWithTerraform, terraformMissing } from './terraform-cli.js';
import { gatewayVariables } from '../../support/gateway-variables.js';

/**
 * One `terraform plan`-checked golden per export design: the committed golden files under
 * test/golden/<design>/terraform (which the unit golden test proves are what the exporter
 * writes) go through real Terraform offline (provider from the local mirror, fake
 * credentials): `init` and `plan -refresh=false` (which validates the configuration first)
 * must pass, except for a design drawn to be broken (broken-plan), which Terraform must
 * refuse for the reason named.
 * A plan does not ask AWS, so what only AWS refuses at apply time (an application load
 * balancer in one zone) is an error line of the report instead, tested in the unit tests.
 */
const missing = terraformMissing();
if (missing) console.log(`terraform-goldens.test.ts skipped: ${missing}; install Terraform and the AWS provider mirror under /opt/tf-plugins to run it`);

const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

/** Designs Terraform must refuse, with the reason it gives. */
const REFUSED: Record<string, RegExp> = { 'broken-plan': /between 16 and 28 significant bits/ };

/**
 * Goldens are checked two at a time: each check is one Terraform process after another
 * (init, then plan, which starts the AWS provider and loads its schema, mostly on one
 * core), so a second check uses the second core. Two, not more: a plan's provider takes
 * about 340 MB and CI has two cores. This file runs in the integration-parallel group
 * (vitest.config.ts), beside one other file that then shares those cores.
 */
const TERRAFORM_AT_ONCE = 2;
let running = 0;
const waiting: (() => void)[] = [];
async function oneOfFew<T>(work: () => Promise<T>): Promise<T> {
  while (running >= TERRAFORM_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** A value for every variable the export declares without a default. */
function variablesFor(variablesTf: string): Record<string, string> {
  // As many zones as the export asks for: a region has three here, so slots past that repeat one (allowed).
  const needed = Number(/length\(var\.availability_zones\) >= (\d+)/.exec(variablesTf)?.[1] ?? '1');
  const zones = Array.from({ length: needed }, (_, i) => ZONES[i % ZONES.length]);
  const vars: Record<string, string> = { region: 'eu-west-1', availability_zones: JSON.stringify(zones), ami_id: 'ami-12345678' };
  for (const match of variablesTf.matchAll(/^variable "([A-Za-z0-9_]+_ipv4_cidr)"/gm)) vars[match[1] as string] = '10.250.0.0/16';
  if (variablesTf.includes('variable "ipv6_ipam_pool_id"')) vars['ipv6_ipam_pool_id'] = 'ipam-pool-0123456789abcdef0';
  return { ...vars, ...gatewayVariables(variablesTf) };
}

describe.skipIf(missing !== undefined)('terraform plan on every golden', () => {
  it.concurrent.for(exportDesigns().map((d) => d.name))('%s', { timeout: 600_000 }, async (name, { expect }) => {
    const dir = join(ROOT, 'test', 'golden', name, 'terraform');
    const files = ['main.tf', 'variables.tf', 'outputs.tf'].map((path) => ({ path, content: readFileSync(join(dir, path), 'utf8') }));
    const check = await oneOfFew(() => checkWithTerraform(files, variablesFor(files[1]?.content ?? ''), { plan: true }));
    expect(check.init.code, check.init.output).toBe(0);
    const refused = REFUSED[name];
    if (refused) {
      expect(check.plan?.code, check.plan?.output).toBe(1);
      expect(check.plan?.output).toMatch(refused);
      return;
    }
    expect(check.plan?.code, check.plan?.output).toBe(0);
    expect(check.plan?.output).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);
  });
});
