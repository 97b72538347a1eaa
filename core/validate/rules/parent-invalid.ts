import { ALLOWED_PARENTS, KIND_LABELS, type NodeKind } from '../../model/kinds.js';
import type { TopologyNode } from '../../model/types.js';
import { aKind, kindWord, nameOf, type ValidationRule } from './rule.js';

/** parent-invalid: a node sits in a container of a kind it cannot be in (or at the wrong level). */
export const parentInvalidRule: ValidationRule = {
  name: 'parent-invalid',
  codes: ['parent-invalid'],
  check(context, report) {
    const { index } = context;
    const check = (node: TopologyNode, position: number): void => {
      const allowed = ALLOWED_PARENTS[node.kind];
      if (!allowed) return; // unknown kind: the schema reports it
      const parent = index.parentAt(position);
      const parentKind: NodeKind | null = parent ? parent.kind : null;
      if (node.parent !== undefined && !parent) {
        report({
          code: 'parent-invalid',
          severity: 'error',
          message: `${KIND_LABELS[node.kind]} ${nameOf(context, node.id)} has parent "${node.parent}", which is not a node of this topology`,
          nodeIds: [node.id],
          path: index.pathOf(node.id, 'parent'),
        });
        return;
      }
      if (allowed.includes(parentKind)) return;
      // A zone elsewhere than in a VPC has its own code, which says where a private zone goes.
      if (node.kind === 'dns-zone' && parent) return;
      const where = allowed.map((kind) => (kind === null ? 'at the top level' : `in ${aKind(kind)}`)).join(' or ');
      const now = parent ? `is in ${kindWord(parent.kind)} ${nameOf(context, parent.id)}` : 'has no parent';
      report({
        code: 'parent-invalid',
        severity: 'error',
        message: `${KIND_LABELS[node.kind]} ${nameOf(context, node.id)} ${now}; ${aKind(node.kind)} belongs ${where}`,
        nodeIds: parent ? [node.id, parent.id] : [node.id],
        path: index.pathOf(node.id, 'parent'),
      });
    };
    // Subnets are the bulk of a big plan: their VPC is already in the facts.
    const nodes = context.topology.nodes;
    for (let i = 0; i < nodes.length; i++) if (nodes[i]!.kind !== 'subnet') check(nodes[i]!, i);
    // Indexed: `for...of` allocates per step where this runs unoptimized (once per validation).
    const subnets = context.subnets;
    for (let s = 0; s < subnets.length; s++) if (!subnets[s]!.vpc) check(subnets[s]!.node, subnets[s]!.position);
  },
};
