import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTerraform } from '../../../core/export/terraform/index.js';
import { parseTopology } from '../../../core/model/load.js';
import { checkWithTerraform, terraformMissing } from './terraform-cli.js';

/**
 * Real Terraform on the security group and network ACL export, offline (provider from the
 * local mirror, fake credentials): `terraform plan -refresh=false` (which validates the
 * configuration first) must pass, and the plan must create exactly the designed groups,
 * rules and ACLs. A design without groups keeps today's invented groups, and plans too.
 */
const missing = terraformMissing();
if (missing) console.log(`terraform-plan.test.ts skipped: ${missing}; install Terraform and the AWS provider mirror to run it`);

function design(path: string) {
  return parseTopology(readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8'));
}

/** Resource addresses the plan says it will create. */
function created(output: string): string[] {
  return [...output.matchAll(/^ {2}# (\S+) will be created$/gm)].map((m) => m[1] as string).sort();
}

const zones = (n: number) => JSON.stringify(['eu-west-1a', 'eu-west-1b', 'eu-west-1c'].slice(0, n));

describe.skipIf(missing !== undefined)('terraform plan', () => {
  it('three-tier-filtered: the designed groups, their rules, the ACLs and the defaults', { timeout: 600_000 }, async () => {
    const { files } = renderTerraform(design('examples/three-tier-filtered.topolab.json'));
    const check = await checkWithTerraform(files, { region: 'us-east-1', availability_zones: zones(2), ami_id: 'ami-12345678' }, { plan: true });
    expect(check.init.code, check.init.output).toBe(0);
    expect(check.plan?.code, check.plan?.output).toBe(0);
    const plan = created(check.plan?.output ?? '');
    expect(plan).toEqual(
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
    expect(plan.filter((a) => a.startsWith('aws_security_group.')).sort()).toEqual(['aws_security_group.sg_app', 'aws_security_group.sg_db', 'aws_security_group.sg_lb']);
    expect(plan.filter((a) => a.startsWith('aws_vpc_security_group_'))).toHaveLength(6);
    expect(plan.filter((a) => a.startsWith('aws_network_acl_rule.'))).toHaveLength(8);
  });

  it('edge cases: ICMP and ICMPv6, IPv6 blocks, a peered group, defaults inline, an NLB and a group in groups', { timeout: 600_000 }, async () => {
    const { files, report } = renderTerraform(design('test/fixtures/export/filters.topolab.json'));
    const check = await checkWithTerraform(files, { region: 'eu-west-1', availability_zones: zones(2), ami_id: 'ami-12345678' }, { plan: true });
    expect(check.init.code, check.init.output).toBe(0);
    expect(check.plan?.code, check.plan?.output).toBe(0);
    const plan = created(check.plan?.output ?? '');
    expect(plan).toEqual(expect.arrayContaining(['aws_security_group.sg_shared', 'aws_default_security_group.default_a', 'aws_default_network_acl.acl_default_a', 'aws_network_acl_rule.acl_app_in_120']));
    // The invalid rule is not written, and the report says so.
    expect(plan).not.toContain('aws_vpc_security_group_ingress_rule.sg_app_in_3');
    expect(report.notExpressible).toEqual(expect.arrayContaining([expect.objectContaining({ nodeId: 'sg-app', feature: 'security-group-rule' })]));
  });

  it('a design without groups keeps the groups invented from its edges, reported as approximated', { timeout: 600_000 }, async () => {
    const { files, report } = renderTerraform(design('examples/two-tier-web.topolab.json'));
    const check = await checkWithTerraform(files, { region: 'us-east-1', availability_zones: zones(2), ami_id: 'ami-12345678' }, { plan: true });
    expect(check.plan?.code, check.plan?.output).toBe(0);
    expect(created(check.plan?.output ?? '').filter((a) => a.startsWith('aws_security_group.'))).toEqual(['aws_security_group.web_lb_lb_sg', 'aws_security_group.web_lb_targets_sg']);
    expect(report.approximated).toEqual(expect.arrayContaining([expect.objectContaining({ nodeId: 'web-lb', feature: 'security-group', detail: expect.stringMatching(/^the design draws no security groups/) as unknown as string })]));
    expect(report.expressed.some((e) => e.feature === 'security-group')).toBe(false);
  });
});
