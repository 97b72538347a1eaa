import { fieldParts, nameOf, type ValidationRule } from './rule.js';

/** vpc-size: every VPC block must be within the provider's allowed prefix range. */
export const vpcSizeRule: ValidationRule = {
  name: 'vpc-size',
  codes: ['vpc-size'],
  check(context, report) {
    const { profile, index } = context;
    for (const vpc of index.ofKind('vpc')) {
      for (const block of context.vpcBlocks.get(vpc.id) ?? []) {
        const range = profile.vpcPrefix[block.span.version];
        const prefix = block.span.prefix;
        if (prefix >= range.largest && prefix <= range.smallest) continue;
        const tooBig = prefix < range.largest;
        report({
          code: 'vpc-size',
          severity: 'error',
          message:
            `${profile.vpcWord} ${nameOf(context, vpc.id)} ${block.field} ${block.text} is ${tooBig ? 'too large' : 'too small'}: ` +
            `${profile.label} ${profile.vpcWord} blocks are /${range.largest} to /${range.smallest} (IPv${block.span.version})`,
          nodeIds: [vpc.id],
          path: index.pathOf(vpc.id, ...fieldParts(block.field)),
        });
      }
    }
  },
};
