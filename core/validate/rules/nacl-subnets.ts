import type { NetworkAclNode } from '../../model/types.js';
import { nameOf, type ValidationRule } from './rule.js';

/**
 * nacl-subnet-conflict: a subnet listed by two network ACLs (a subnet sits at exactly one
 * ACL; the first in file order is the one that filters it), or by an ACL of another VPC
 * (ignored for filtering). The message names the subnet.
 */
export const naclSubnetsRule: ValidationRule = {
  name: 'nacl-subnets',
  codes: ['nacl-subnet-conflict'],
  check(context, report) {
    const { index } = context;
    const holder = new Map<string, NetworkAclNode>();
    for (const acl of index.ofKind('network-acl')) {
      acl.subnets.forEach((subnetId, slot) => {
        const subnet = index.nodeOfKind(subnetId, 'subnet');
        // Other kinds are reference-kind's to report.
        if (!subnet) return;
        const path = index.pathOf(acl.id, 'subnets', slot);
        if (subnet.parent !== acl.parent) {
          report({
            code: 'nacl-subnet-conflict',
            severity: 'error',
            message: `Network ACL ${nameOf(context, acl.id)} of VPC ${acl.parent ? nameOf(context, acl.parent) : '(none)'} lists subnet ${nameOf(context, subnetId)} of ${subnet.parent ? `VPC ${nameOf(context, subnet.parent)}` : 'no VPC'}; an ACL filters only subnets of its own VPC, so this entry is ignored`,
            nodeIds: [acl.id, subnetId],
            path,
          });
          return;
        }
        const first = holder.get(subnetId);
        if (!first) {
          holder.set(subnetId, acl);
          return;
        }
        if (first === acl) return;
        report({
          code: 'nacl-subnet-conflict',
          severity: 'error',
          message: `Subnet ${nameOf(context, subnetId)} is listed by network ACLs ${nameOf(context, first.id)} and ${nameOf(context, acl.id)}; a subnet is associated with exactly one network ACL (${nameOf(context, first.id)} filters it now): remove it from one`,
          nodeIds: [subnetId, first.id, acl.id],
          path,
        });
      });
    }
  },
};
