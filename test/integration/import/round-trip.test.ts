import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest';
import type { ExportFile } from '../../../core/export/report.js';
import { renderTerraform } from '../../../core/export/terraform/index.js';
import { importAws, importTerraform } from '../../../core/import/index.js';
import { parseTopology, safeParseTopology } from '../../../core/model/load.js';
import type { Topology } from '../../../core/model/types.js';
import { validateTopology } from '../../../core/validate/index.js';
import { terraformMissing } from '../export/terraform-cli.js';
import type { RunResult } from '../export/tools.js';
import { networkDifferences, verdictDifferences, withImpliedMainTables, withOriginalPorts, withoutUnexpressibleRoutes, withRequiredIpv4Blocks } from './compare.js';
import { PlanRunner } from './terraform-plan-json.js';
import { gatewayVariables } from '../../support/gateway-variables.js';

/**
 * The round trip: every example and fixture design is exported to Terraform, planned
 * offline by real Terraform (`plan -out`, `show -json`), and the plan imported. The import
 * must have the same VPCs, subnets, route tables and routes, groups and rules, ACLs and
 * rules, balancers and their targets, and every trace between corresponding nodes must
 * end the same way.
 *
 * The same plan is each export design's Terraform golden check (there is no second plan of
 * it elsewhere: a plan starts the AWS provider and loads its schema, most of its time): what
 * is planned is the committed golden under test/golden/<design>/terraform (asserted equal
 * here; the unit golden test proves it is what the exporter writes), and every plan must
 * pass, creating and changing nothing else, except for a design drawn to be broken
 * (broken-plan), which Terraform must refuse for the reason named. A design with errors on
 * purpose is still planned (the export writes what it can), but has no import to compare.
 * A plan does not ask AWS, so what only AWS refuses at apply time (an application load
 * balancer in one zone) is an error line of the report instead, tested in the unit tests.
 *
 * The tests of what the security group and network ACL export makes Terraform create
 * (exactly the designed groups, rules and ACLs; invented groups only for a design that draws
 * none) read the same plans: a design is planned once, whichever test asks first.
 */
const missing = terraformMissing();
if (missing) console.log(`round-trip.test.ts skipped: ${missing}; install Terraform and the AWS provider mirror to run it`);

/** Designs Terraform must refuse, with the reason it gives. */
const REFUSED: Record<string, RegExp> = { 'examples/broken-plan.topolab.json': /between 16 and 28 significant bits/ };

const root = new URL('../../../', import.meta.url).pathname;
const designs = [
  ...readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.topolab.json')).map((f) => `examples/${f}`),
  ...readdirSync(join(root, 'test/fixtures/export')).filter((f) => f.endsWith('.topolab.json')).map((f) => `test/fixtures/export/${f}`),
  // The AWS import's fixtures, as the design they import to (IPv4, then dual-stack with IPv6-only subnets).
  'test/fixtures/import/aws',
  'test/fixtures/import/aws-ipv6',
];

/** The committed Terraform golden of a design file (test/golden/<name>/terraform), if it has one. */
function golden(path: string): { path: string; content: string }[] | undefined {
  if (!path.endsWith('.topolab.json')) return undefined;
  const dir = join(root, 'test/golden', basename(path, '.topolab.json'), 'terraform');
  if (!existsSync(dir)) return undefined;
  return ['main.tf', 'variables.tf', 'outputs.tf'].map((file) => ({ path: file, content: readFileSync(join(dir, file), 'utf8') }));
}

/** A design file, or the design the AWS fixtures in a folder import to. */
function load(path: string): Topology {
  if (!path.endsWith('.json')) {
    const folder = join(root, path);
    return importAws(readdirSync(folder).map((f) => ({ name: f, text: readFileSync(join(folder, f), 'utf8') }))).topology;
  }
  return parseTopology(readFileSync(join(root, path), 'utf8'));
}

/** A design without some security groups: the nodes that listed them fall back to none. */
function withoutGroups(design: Topology, groups: readonly string[]): Topology {
  if (groups.length === 0) return design;
  const nodes = design.nodes
    .filter((n) => !groups.includes(n.id))
    .map((n) => {
      if (!('securityGroups' in n) || n.securityGroups === undefined) return n;
      const { securityGroups: _gone, ...rest } = n;
      return rest as typeof n;
    });
  return { ...design, nodes, layout: Object.fromEntries(Object.entries(design.layout).filter(([id]) => !groups.includes(id))) };
}

/**
 * The IPv4 block the test gives each IPv6 VPC of an export (AWS requires one: the export
 * asks for it as `var.NAME_ipv4_cidr`), by the VPC's design id, read from main.tf.
 */
function ipv4BlocksFor(files: readonly ExportFile[]): Map<string, { variable: string; block: string }> {
  const main = files.find((f) => f.path === 'main.tf')?.content ?? '';
  const blocks = new Map<string, { variable: string; block: string }>();
  for (const match of main.matchAll(/resource "aws_vpc" "([\w-]+)" \{\n\s*cidr_block\s*= var\.\1_ipv4_cidr\n[\s\S]*?topolab-id = "([^"]+)"/g)) {
    blocks.set(match[2] as string, { variable: `${match[1]}_ipv4_cidr`, block: `10.${200 + blocks.size}.0.0/16` });
  }
  return blocks;
}

/** The variables of an export: the design's zones in the order the export numbers them (first use by a subnet), and its region. */
function variablesFor(design: Topology, files: readonly ExportFile[], ipv4: ReadonlyMap<string, { variable: string; block: string }>): Record<string, string> {
  const vpc = design.nodes.find((n) => n.kind === 'vpc' && n.region !== undefined);
  const region = vpc?.kind === 'vpc' && vpc.region !== undefined ? vpc.region : 'us-east-1';
  // The export gives each subnet that names no zone a slot of its own (terraform/context.ts zoneSlot).
  const zones: string[] = [];
  for (const node of design.nodes) {
    if (node.kind !== 'subnet') continue;
    const slot = node.zone ?? `\u0000${node.id}`;
    if (!zones.includes(slot)) zones.push(slot);
  }
  // A subnet without a zone still needs one in AWS: any name serves, the design has none to compare.
  const named = zones.map((z, i) => (z.startsWith('\u0000') ? `${region}-nozone-${i}` : z));
  const vars: Record<string, string> = { region, availability_zones: JSON.stringify(named.length > 0 ? named : [`${region}a`]), ami_id: 'ami-12345678' };
  for (const { variable, block } of ipv4.values()) vars[variable] = block;
  if (files.some((f) => f.content.includes('var.ipv6_ipam_pool_id'))) vars['ipv6_ipam_pool_id'] = 'ipam-pool-0123456789abcdef0';
  return { ...vars, ...gatewayVariables(files.find((f) => f.path === 'variables.tf')?.content ?? '', region) };
}

/** A plan that passed, creating resources and changing or destroying none. */
function expectPlanned(expect: ExpectStatic, plan: RunResult): void {
  expect(plan.code, plan.output).toBe(0);
  expect(plan.output).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);
}

/** Resource addresses a plan says it will create. */
function created(output: string): string[] {
  return [...output.matchAll(/^ {2}# (\S+) will be created$/gm)].map((m) => m[1] as string).sort();
}

/** A design, its export, and what its plan is given: the variables, and whether its plan is read back as JSON (only where there is an import to compare). */
interface Exported {
  files: ExportFile[];
  report: ReturnType<typeof renderTerraform>['report'];
  errors: string[];
  /** Without errors: the design as the import is compared with (see the round-trip test), and what was changed to get it. */
  compared?: { original: Topology; dropped: string[]; ipv4Changed: string[]; ipv4: Map<string, { variable: string; block: string }> };
  vars: Record<string, string>;
}

const exported = new Map<string, Exported>();
function exportOf(path: string): Exported {
  let known = exported.get(path);
  if (!known) {
    known = exportAnew(path);
    exported.set(path, known);
  }
  return known;
}

function exportAnew(path: string): Exported {
  const design = load(path);
  const { files, report } = renderTerraform(design);
  const errors = validateTopology(design)
    .filter((d) => d.severity === 'error')
    .map((d) => d.code);
  if (errors.length > 0) return { files, report, errors, vars: variablesFor(design, files, ipv4BlocksFor(files)) };
  const cut = withoutUnexpressibleRoutes(design, report.notExpressible);
  // An IPv6 VPC exports with the IPv4 block AWS requires (a variable, reported as approximated): the import reads it as AWS holds it.
  const ipv4 = ipv4BlocksFor(files);
  const required = withRequiredIpv4Blocks(cut.design, new Map([...ipv4].map(([id, v]) => [id, v.block])));
  const original = required.design;
  return { files, report, errors, compared: { original, dropped: cut.dropped, ipv4Changed: required.changed, ipv4 }, vars: variablesFor(original, files, ipv4) };
}

describe.skipIf(missing !== undefined)('round trip: design -> Terraform plan JSON -> import', () => {
  // Two designs at a time, each in its own Terraform folder: a plan and a `show -json` each
  // start the AWS provider and keep about one core busy, so a second folder uses CI's second
  // core. Two, not more: two cores, which this file shares with the one other file running
  // beside it in the integration-parallel group (vitest.config.ts).
  const runners: PlanRunner[] = [];
  const idle: PlanRunner[] = [];
  const waiting: ((runner: PlanRunner) => void)[] = [];
  const withRunner = async <T>(work: (runner: PlanRunner) => Promise<T>): Promise<T> => {
    const runner = idle.pop() ?? (await new Promise<PlanRunner>((resolve) => waiting.push(resolve)));
    try {
      return await work(runner);
    } finally {
      const next = waiting.shift();
      if (next) next(runner);
      else idle.push(runner);
    }
  };
  beforeAll(async () => {
    runners.push(...(await Promise.all([PlanRunner.create(), PlanRunner.create()])));
    idle.push(...runners);
  }, 300_000);
  afterAll(async () => {
    await Promise.all(runners.map((runner) => runner.dispose()));
  });

  // Each design is planned once (and, with an import to compare, shown once), whichever test
  // asks first: the round trip below and the tests of what particular exports create.
  const plans = new Map<string, Promise<{ plan: RunResult; json?: string }>>();
  const planOf = (path: string): Promise<{ plan: RunResult; json?: string }> => {
    let planned = plans.get(path);
    if (!planned) {
      const { files, vars, compared } = exportOf(path);
      planned = withRunner((runner) => runner.plan(files, vars, { show: compared !== undefined }));
      plans.set(path, planned);
    }
    return planned;
  };

  it('plans every committed Terraform golden (no golden is left without its plan)', ({ expect }) => {
    const planned = new Set(designs.filter((d) => golden(d) !== undefined).map((d) => basename(d, '.topolab.json')));
    const committed = readdirSync(join(root, 'test/golden')).filter((name) => existsSync(join(root, 'test/golden', name, 'terraform')));
    expect(committed.length).toBeGreaterThan(0);
    expect(committed.filter((name) => !planned.has(name))).toEqual([]);
  });

  for (const path of designs) {
    it.concurrent(path, { timeout: 600_000 }, async ({ expect }) => {
      const { files, errors, compared } = exportOf(path);
      const committed = golden(path);
      if (committed) expect(files.map((f) => ({ path: f.path, content: f.content })), `${path}: the export is its committed golden`).toEqual(committed);
      if (!compared) {
        const { plan } = await planOf(path);
        const refused = REFUSED[path];
        if (refused) {
          expect(plan.code, plan.output).toBe(1);
          expect(plan.output).toMatch(refused);
          console.log(`${path}: Terraform refuses the plan as it must; no import to compare`);
          return;
        }
        expectPlanned(expect, plan);
        console.log(`${path}: planned; import comparison skipped: the design has errors on purpose (${errors.join(', ')})`);
        return;
      }
      const { original, dropped, ipv4Changed } = compared;
      if (dropped.length > 0) console.log(`${path}: blackhole routes the export reports it cannot write, left out of the comparison: ${dropped.join(', ')}`);
      if (ipv4Changed.length > 0) console.log(`${path}: IPv6 VPC ${ipv4Changed.join(', ')} exported with the IPv4 block AWS requires, compared as AWS holds it (IPv4 primary, the IPv6 blocks secondary)`);
      const { plan, json } = await planOf(path);
      expectPlanned(expect, plan);
      const built = importTerraform({ name: `${path}.plan.json`, text: json ?? '' });
      const loaded = safeParseTopology(JSON.stringify(built.topology));
      expect(loaded.ok, JSON.stringify(loaded.ok ? '' : loaded.error)).toBe(true);
      const imported = loaded.ok ? loaded.topology : built.topology;
      expect(networkDifferences(original, imported)).toEqual([]);
      // A design that draws no security groups is exported with groups the exporter invents
      // (docs/export.md): they are the export's approximation, not the design's, so the
      // verdicts are compared on the import without them.
      const inventedGroups = original.nodes.some((n) => n.kind === 'security-group') ? [] : imported.nodes.filter((n) => n.kind === 'security-group').map((n) => n.id);
      const ported = withOriginalPorts(original, withoutGroups(imported, inventedGroups));
      const implied = withImpliedMainTables(original);
      if (implied.added.length > 0) console.log(`${path}: VPC ${implied.added.join(', ')} has no main route table in the design: traced with the one AWS creates with every VPC`);
      const verdicts = verdictDifferences(implied.design, ported.design);
      if (ported.changed.length > 0) console.log(`${path}: listening ports AWS does not record, set as designed for the traces: ${ported.changed.join(', ')}`);
      console.log(`${path}: ${verdicts.checked} traces compared${inventedGroups.length > 0 ? ` without the ${inventedGroups.length} security groups the export invents (${inventedGroups.join(', ')})` : ''}, ${built.ignored.length} ignored`);
      expect(verdicts.checked).toBeGreaterThan(0);
      expect(verdicts.differences).toEqual([]);
    });
  }

  /**
   * What the security group and network ACL export makes Terraform create, read from the
   * round trip's own plan of the design (`planOf`: not planned a second time): exactly the
   * designed groups, rules and ACLs, and a design without groups keeps the groups invented
   * from its edges.
   */
  describe('what the export creates, read from the same plans', () => {
    it.concurrent('three-tier-filtered: the designed groups, their rules, the ACLs and the defaults', { timeout: 600_000 }, async ({ expect }) => {
      const { plan } = await planOf('examples/three-tier-filtered.topolab.json');
      expect(plan.code, plan.output).toBe(0);
      const addresses = created(plan.output);
      expect(addresses).toEqual(
        expect.arrayContaining([
          'aws_security_group.sg_lb',
          'aws_security_group.sg_app',
          'aws_security_group.sg_db',
          'aws_default_security_group.sg_default',
          'aws_vpc_security_group_ingress_rule.sg_lb_in_0',
          'aws_vpc_security_group_egress_rule.sg_lb_out_0',
          'aws_vpc_security_group_ingress_rule.sg_app_in_0',
          'aws_vpc_security_group_egress_rule.sg_app_out_0',
          'aws_vpc_security_group_egress_rule.sg_app_out_1',
          'aws_vpc_security_group_ingress_rule.sg_db_in_0',
          'aws_network_acl.acl_app',
          'aws_network_acl_rule.acl_app_in_100',
          'aws_network_acl_rule.acl_app_out_120',
          'aws_network_acl_association.acl_app_app_a',
          'aws_network_acl_association.acl_app_app_b',
          'aws_network_acl.acl_db',
          'aws_network_acl_rule.acl_db_in_200',
          'aws_network_acl_association.acl_db_db_a',
          'aws_default_network_acl.acl_default',
        ]),
      );
      // Exactly the designed groups: none invented from the edges.
      expect(addresses.filter((a) => a.startsWith('aws_security_group.')).sort()).toEqual(['aws_security_group.sg_app', 'aws_security_group.sg_db', 'aws_security_group.sg_lb']);
      expect(addresses.filter((a) => a.startsWith('aws_vpc_security_group_'))).toHaveLength(6);
      expect(addresses.filter((a) => a.startsWith('aws_network_acl_rule.'))).toHaveLength(8);
    });

    it.concurrent('edge cases: ICMP and ICMPv6, IPv6 blocks, a peered group, defaults inline, an NLB and a group in groups', { timeout: 600_000 }, async ({ expect }) => {
      const path = 'test/fixtures/export/filters.topolab.json';
      const { report } = exportOf(path);
      const { plan } = await planOf(path);
      expect(plan.code, plan.output).toBe(0);
      const addresses = created(plan.output);
      expect(addresses).toEqual(expect.arrayContaining(['aws_security_group.sg_shared', 'aws_default_security_group.default_a', 'aws_default_network_acl.acl_default_a', 'aws_network_acl_rule.acl_app_in_120']));
      // The invalid rule is not written, and the report says so.
      expect(addresses).not.toContain('aws_vpc_security_group_ingress_rule.sg_app_in_3');
      expect(report.notExpressible).toEqual(expect.arrayContaining([expect.objectContaining({ nodeId: 'sg-app', feature: 'security-group-rule' })]));
    });

    it.concurrent('a design without groups keeps the groups invented from its edges, reported as approximated', { timeout: 600_000 }, async ({ expect }) => {
      const path = 'examples/two-tier-web.topolab.json';
      const { report } = exportOf(path);
      const { plan } = await planOf(path);
      expect(plan.code, plan.output).toBe(0);
      expect(created(plan.output).filter((a) => a.startsWith('aws_security_group.'))).toEqual(['aws_security_group.web_lb_lb_sg', 'aws_security_group.web_lb_targets_sg']);
      expect(report.approximated).toEqual(expect.arrayContaining([expect.objectContaining({ nodeId: 'web-lb', feature: 'security-group', detail: expect.stringMatching(/^the design draws no security groups/) as unknown as string })]));
      expect(report.expressed.some((e) => e.feature === 'security-group')).toBe(false);
    });
  });
});
