import { usableHosts } from '../../cidr/providers.js';
import { subnetFacts } from '../context.js';
import { nameOf, type ValidationRule } from './rule.js';

/**
 * subnet-full: a subnet holds more addressable nodes than it has usable addresses under
 * the provider's rules, so some nodes could not be given an address.
 */
export const subnetFullRule: ValidationRule = {
  name: 'subnet-full',
  codes: ['subnet-full'],
  check(context, report) {
    const { index, profile } = context;
    const unplaced = new Map<string, string[]>();
    const { addressable, addressableAt } = context;
    for (let k = 0; k < addressable.length; k++) {
      const node = addressable[k]!;
      if (context.addresses.has(node.id)) continue;
      if ((node as { ip?: string }).ip !== undefined) continue; // an invalid ip is ip-invalid
      const at = index.ancestorPositionOfKind(addressableAt[k]!, 'subnet');
      if (at < 0 || !context.subnetAt[at]?.span) continue;
      const subnet = context.topology.nodes[at]!;
      const list = unplaced.get(subnet.id);
      if (list) list.push(node.id);
      else unplaced.set(subnet.id, [node.id]);
    }
    for (const [subnetId, nodeIds] of unplaced) {
      const subnet = index.nodeOfKind(subnetId, 'subnet')!;
      const span = subnetFacts(context, subnetId)!.span!;
      const usable = usableHosts(profile, span.version, span.prefix);
      report({
        code: 'subnet-full',
        severity: 'error',
        message:
          `Subnet ${nameOf(context, subnetId)} ${subnet.cidr} is full: it has ${usable} usable addresses under ${profile.label} rules, ` +
          `and ${nodeIds.length} node${nodeIds.length === 1 ? '' : 's'} (${nodeIds.map((id) => nameOf(context, id)).join(', ')}) got none; use a larger subnet or move nodes`,
        nodeIds: [subnetId, ...nodeIds],
        path: index.pathOf(subnetId, 'cidr'),
      });
    }
  },
};
