import { cidrInfo } from '../../cidr/info.js';
import { formatCidr, safeParseCidr } from '../../cidr/block.js';
import { nextFreeBlock, planSubnets } from '../../cidr/plan.js';
import { safeParseTopology } from '../../model/load.js';
import { validateTopology } from '../../validate/index.js';
import type { Handlers, ServiceContext } from './types.js';

/** Handlers of the pure engine methods. */
export function createCoreHandlers(_context: ServiceContext): Pick<Handlers, 'topology.parse' | 'validate' | 'cidr.info' | 'cidr.plan' | 'cidr.nextFree'> {
  return {
    'topology.parse': ({ text }) => safeParseTopology(text),
    validate: ({ topology }) => ({ diagnostics: validateTopology(topology) }),
    'cidr.info': ({ cidr, provider }) => cidrInfo(cidr, provider),
    'cidr.plan': (input) => planSubnets(input),
    'cidr.nextFree': ({ within, existing, prefix }) => {
      const outer = safeParseCidr(within);
      if (!outer.ok) return { error: outer.problem.message };
      const used = [];
      for (const text of existing) {
        const parsed = safeParseCidr(text);
        if (parsed.ok) used.push(parsed.block);
      }
      const block = nextFreeBlock(outer.block, used, prefix);
      return block ? { cidr: formatCidr(block) } : { error: `no free /${prefix} left in ${formatCidr(outer.block)}` };
    },
  };
}
