import { domainNameProblem, normalizeDomainName } from '../../model/dns-names.js';
import { aKind, kindWord, nameOf, type ValidationRule } from './rule.js';

/**
 * The zones themselves: a zone name must be a domain name (dns-name-invalid), a private
 * zone sits directly in its VPC (dns-private-zone-parent), and two zones of one name are
 * allowed only as a public and a private one, or private ones of different VPCs
 * (dns-zone-duplicate), as in Route 53.
 */
export const dnsZonesRule: ValidationRule = {
  name: 'dns-zones',
  codes: ['dns-name-invalid', 'dns-private-zone-parent', 'dns-zone-duplicate'],
  check(context, report) {
    const { index } = context;
    const seen = new Map<string, string>(); // "name|vpc" -> zone id
    for (const zone of index.ofKind('dns-zone')) {
      const problem = domainNameProblem(zone.name);
      if (problem !== undefined) {
        report({ code: 'dns-name-invalid', severity: 'error', message: `DNS zone ${nameOf(context, zone.id)}: "${zone.name}" is not a domain name: ${problem}`, nodeIds: [zone.id], path: index.pathOf(zone.id, 'name') });
      }
      const parent = zone.parent === undefined ? undefined : index.node(zone.parent);
      if (parent && parent.kind !== 'vpc') {
        const vpc = index.vpcOf(zone.id);
        report({
          code: 'dns-private-zone-parent',
          severity: 'error',
          message: `DNS zone ${nameOf(context, zone.id)} is in ${aKind(parent.kind)} (${nameOf(context, parent.id)}); a private zone is associated with a VPC, so it sits directly in one (a public zone sits at the top level)`,
          nodeIds: [zone.id, parent.id],
          path: index.pathOf(zone.id, 'parent'),
          ...(vpc ? { fix: { title: `Move it into VPC ${vpc.id}`, nodeId: zone.id, field: 'parent', value: vpc.id } } : {}),
        });
        continue;
      }
      const key = `${normalizeDomainName(zone.name)}|${parent?.id ?? ''}`;
      const other = seen.get(key);
      if (other !== undefined) {
        report({
          code: 'dns-zone-duplicate',
          severity: 'error',
          message: `DNS zones ${nameOf(context, other)} and ${nameOf(context, zone.id)} are both ${parent ? `private zones of ${kindWord('vpc')} ${nameOf(context, parent.id)}` : 'public zones'} for ${normalizeDomainName(zone.name)}: a resolver could answer from either`,
          nodeIds: [zone.id, other],
          path: index.pathOf(zone.id, 'name'),
        });
      } else seen.set(key, zone.id);
    }
  },
};
