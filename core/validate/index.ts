import type { Topology } from '../model/types.js';
import { buildValidationContext } from './context.js';
import type { Diagnostic, Severity } from './diagnostic.js';
import { RULES } from './rules/index.js';

export * from './diagnostic.js';
export { buildValidationContext, isPublicSubnet, subnetFacts, type SubnetFacts, type ValidationContext } from './context.js';
export { effectiveRouteTable, routeTableAssociations, type RouteTableAssociations } from '../routing/associations.js';
export { RULES, type ValidationRule } from './rules/index.js';

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Every problem of a topology: errors, then warnings, then info; within a severity in the
 * file order of the first node each is about, ties in the order the rules found them.
 * Builds one shared context (parsed CIDRs, addresses, associations) and runs each rule
 * of rules/ over it. Never throws on a schema-valid topology.
 */
export function validateTopology(topology: Topology): Diagnostic[] {
  const context = buildValidationContext(topology);
  const found: Diagnostic[] = [];
  const report = (diagnostic: Diagnostic): void => {
    found.push(diagnostic);
  };
  for (const rule of RULES) rule.check(context, report);
  if (found.length < 2) return found;
  const keyed = found.map((diagnostic, order) => {
    const first = diagnostic.nodeIds[0];
    const position = first === undefined ? -1 : context.index.indexOf(first);
    return { diagnostic, order, rank: SEVERITY_RANK[diagnostic.severity], position: position < 0 ? Number.MAX_SAFE_INTEGER : position };
  });
  keyed.sort((a, b) => a.rank - b.rank || a.position - b.position || a.order - b.order);
  return keyed.map((k) => k.diagnostic);
}
