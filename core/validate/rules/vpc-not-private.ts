import { classifyBlock } from '../../cidr/ranges.js';
import { blockOfSpan } from '../span.js';
import { fieldParts, nameOf, type ValidationRule } from './rule.js';

/**
 * vpc-not-private (warning): a VPC block outside RFC 1918 (IPv4) or ULA (IPv6) clashes
 * with real internet addresses its hosts may need to reach. IPv6 VPCs are usually given
 * global (public) space by the provider, so only IPv4 outside RFC 1918 and IPv6 that is
 * neither ULA nor global unicast are reported.
 */
export const vpcNotPrivateRule: ValidationRule = {
  name: 'vpc-not-private',
  codes: ['vpc-not-private'],
  check(context, report) {
    for (const vpc of context.index.ofKind('vpc')) {
      for (const block of context.vpcBlocks.get(vpc.id) ?? []) {
        const range = classifyBlock(blockOfSpan(block.span));
        if (range.kind === 'private' || range.kind === 'unique-local') continue;
        if (block.span.version === 6 && range.kind === 'public') continue;
        const advice =
          block.span.version === 4
            ? 'use a block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (RFC 1918)'
            : 'use a unique local block inside fc00::/7 (ULA) or the global block your provider assigns';
        report({
          code: 'vpc-not-private',
          severity: 'warning',
          message: `VPC ${nameOf(context, vpc.id)} ${block.field} ${block.text} is not private address space: it is ${range.name}; ${advice}`,
          nodeIds: [vpc.id],
          path: context.index.pathOf(vpc.id, ...fieldParts(block.field)),
        });
      }
    }
  },
};
