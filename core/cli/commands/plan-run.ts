import { ApiError } from '../../api/contract/errors.js';
import { coreMethods } from '../../api/contract/core.js';
import { parseMethodInput } from '../../api/contract/check.js';
import { planSubnets, type PlanResult } from '../../cidr/plan.js';
import type { MethodInput } from '../../api/contract/index.js';
import { EXIT } from '../exit.js';
import { CliFailure } from '../streams.js';

/**
 * The service's `cidr.plan`, as `callService` runs it (the method's input check, then its
 * handler, planSubnets) without creating the whole service: that loads the lab, the
 * exporters and the HTTP client, some 130 of Node's modules, for a pure computation.
 * A refused input exits 2 with the service's own message, as callService does.
 */
export function planInService(input: MethodInput<'cidr.plan'>): PlanResult {
  let checked: MethodInput<'cidr.plan'>;
  try {
    checked = parseMethodInput('cidr.plan', coreMethods['cidr.plan'].input, input);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'bad-input') throw new CliFailure(error.message, EXIT.unreadable);
    throw error;
  }
  return planSubnets(checked);
}
