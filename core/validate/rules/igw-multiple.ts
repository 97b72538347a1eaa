import { nameOf, type ValidationRule } from './rule.js';

/** igw-multiple (error): a VPC with more than one internet gateway (a VPC has at most one). */
export const igwMultipleRule: ValidationRule = {
  name: 'igw-multiple',
  codes: ['igw-multiple'],
  check(context, report) {
    const { index, profile } = context;
    const byVpc = new Map<string, string[]>();
    for (const igw of index.ofKind('internet-gateway')) {
      if (igw.parent === undefined) continue;
      const list = byVpc.get(igw.parent);
      if (list) list.push(igw.id);
      else byVpc.set(igw.parent, [igw.id]);
    }
    for (const [vpcId, ids] of byVpc) {
      if (ids.length < 2) continue;
      report({
        code: 'igw-multiple',
        severity: 'error',
        message: `VPC ${nameOf(context, vpcId)} has ${ids.length} internet gateways (${ids.map((id) => nameOf(context, id)).join(', ')}); ${profile.label} allows at most one per ${profile.vpcWord}, remove the extra ones`,
        nodeIds: [ids[1]!, vpcId, ...ids.filter((_, i) => i !== 1)],
        path: index.pathOf(ids[1]!),
      });
    }
  },
};
