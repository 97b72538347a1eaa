import { KINDS, KIND_LABELS, referenceKinds, referencesOf } from '../../model/kinds/index.js';
import { aKind, kindWord, nameOf, type ValidationRule } from './rule.js';

/**
 * reference-kind (error): a field that names another node (as its kind's descriptor
 * declares) names a node of a kind that cannot stand there: a reverse-proxy rule sending to
 * a subnet, an auto-scaling group spreading over a server. References with a rule of their
 * own (route targets, associations, peered VPCs) are left to it.
 */
export const referenceKindRule: ValidationRule = {
  name: 'reference-kind',
  codes: ['reference-kind'],
  check(context, report) {
    const { index } = context;
    // Indexed loops: this runs once per validation, mostly unoptimized, where `for...of`
    // allocates an iterator and a result per step (100,000 nodes).
    const nodes = context.topology.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      const references = referencesOf(node.kind);
      for (let r = 0; r < references.length; r++) {
        const reference = references[r]!;
        if (reference.validatedBy !== undefined) continue;
        for (const slot of reference.slots(node as never)) {
          const target = index.node(slot.id);
          if (!target || reference.accepts(KINDS[target.kind])) continue;
          const allowed = referenceKinds(reference).map(kindWord);
          const list = allowed.length < 2 ? (allowed[0] ?? 'nothing') : `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}`;
          const field = slot.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').slice(1);
          const article = /^[aeiou]/i.test(reference.noun) ? 'an' : 'a';
          report({
            code: 'reference-kind',
            severity: 'error',
            message: `${KIND_LABELS[node.kind]} ${nameOf(context, node.id)} names ${aKind(target.kind)} ${nameOf(context, target.id)} as ${article} ${reference.noun}; ${field} must name a ${list}`,
            nodeIds: [node.id, target.id],
            path: index.pathOf(node.id, ...slot.path),
          });
        }
      }
    }
  },
};
