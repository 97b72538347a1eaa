import { nameOf, type ValidationRule } from './rule.js';

/**
 * subnet-too-small: a subnet smaller than the provider allows (a /29 on AWS; Azure and
 * Google Cloud allow /29). subnet-size: larger than the provider allows (a /15 on AWS).
 */
export const subnetSizeRule: ValidationRule = {
  name: 'subnet-size',
  codes: ['subnet-too-small', 'subnet-size'],
  check(context, report) {
    const { profile, index } = context;
    // Indexed: `for...of` allocates per step where this runs unoptimized (once per validation).
    const subnets = context.subnets;
    for (let s = 0; s < subnets.length; s++) {
      const { node: subnet, span } = subnets[s]!;
      if (!span) continue;
      const range = profile.subnetPrefix[span.version];
      if (span.prefix >= range.largest && span.prefix <= range.smallest) continue;
      const tooSmall = span.prefix > range.smallest;
      report({
        code: tooSmall ? 'subnet-too-small' : 'subnet-size',
        severity: 'error',
        message:
          `Subnet ${nameOf(context, subnet.id)} ${subnet.cidr} is ${tooSmall ? 'too small' : 'too large'}: ` +
          `${profile.label} subnets are /${range.largest} to /${range.smallest} (IPv${span.version})`,
        nodeIds: [subnet.id],
        path: index.pathOf(subnet.id, 'cidr'),
      });
    }
  },
};
