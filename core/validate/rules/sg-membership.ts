import { KIND_LABELS, KIND_TRAITS } from '../../model/kinds/index.js';
import type { TopologyNode } from '../../model/types.js';
import type { ValidationContext } from '../context.js';
import { aKind, nameOf, type Report, type ValidationRule } from './rule.js';

/**
 * The `securityGroups` of every node.
 * sg-reference-invalid: an id that names no security group, or a group of another VPC (a
 * node is only ever in groups of its own VPC; an internet client is in none).
 * sg-quota: more groups than the provider allows on one node (AWS: 5).
 */
export const sgMembershipRule: ValidationRule = {
  name: 'sg-membership',
  codes: ['sg-reference-invalid', 'sg-quota'],
  check(context, report) {
    // Indexed, and the per-node work in a function of its own: here, unoptimized, `for...of`
    // allocates per step, and so would a loop body whose variables a closure captures.
    const nodes = context.topology.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (!KIND_TRAITS[node.kind].securityGroups) continue;
      const listed = (node as { securityGroups?: string[] }).securityGroups;
      if (listed !== undefined) checkNode(context, node, listed, report);
    }
  },
};

/** The groups one node lists. */
function checkNode(context: ValidationContext, node: TopologyNode, listed: readonly string[], report: Report): void {
  const { index } = context;
  const who = `${KIND_LABELS[node.kind]} ${nameOf(context, node.id)}`;
  const vpc = index.vpcOf(node.id);
  listed.forEach((id, k) => {
    const target = index.node(id);
    let problem: string | undefined;
    if (!target) problem = `"${id}", which is not a node of this design`;
    else if (target.kind !== 'security-group') problem = `${aKind(target.kind)} ${nameOf(context, id)}, which is not a security group`;
    else if (!vpc) problem = `security group ${nameOf(context, id)}, but it sits in no VPC (an internet client has no security groups)`;
    else if (target.parent !== vpc.id) problem = `security group ${nameOf(context, id)} of ${target.parent ? `VPC ${nameOf(context, target.parent)}` : 'no VPC'}; a node is only in security groups of its own VPC, ${nameOf(context, vpc.id)}`;
    if (problem === undefined) return;
    report({
      code: 'sg-reference-invalid',
      severity: 'error',
      message: `${who} lists ${problem}`,
      nodeIds: target ? [node.id, id] : [node.id],
      path: index.pathOf(node.id, 'securityGroups', k),
    });
  });
  const quota = context.profile.filterQuotas?.groupsPerNode;
  if (quota !== undefined && listed.length > quota) {
    report({
      code: 'sg-quota',
      severity: 'error',
      message: `${who} is in ${listed.length} security groups; ${context.profile.label} allows at most ${quota} per network interface`,
      nodeIds: [node.id],
      path: index.pathOf(node.id, 'securityGroups', quota),
    });
  }
}
