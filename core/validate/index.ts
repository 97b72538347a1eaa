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
 * of rules/ over it. Never throws on a schema-valid topology. `options.positions`: the id
 * map the loader built for these very nodes (fast-load.ts), so they are not indexed twice;
 * `options.parents`: each node's parent position, as the same loader resolved it.
 */
export function validateTopology(topology: Topology, options: { positions?: ReadonlyMap<string, number>; parents?: Int32Array } = {}): Diagnostic[] {
  const context = buildValidationContext(topology, options.positions, options.parents);
  const found: Diagnostic[] = [];
  const positions: number[] = [];
  const report = (diagnostic: Diagnostic, position?: number): void => {
    found.push(diagnostic);
    positions.push(position ?? -2);
  };
  for (const rule of RULES) rule.check(context, report);
  if (found.length < 2) return found;
  return sortDiagnostics(found, positions, context.index.topology.nodes.length, (id) => context.index.indexOf(id));
}

/**
 * Errors, then warnings, then info; within a severity by the position of the first node
 * (none last), ties in the order found. A counting sort over (severity, position): linear,
 * where a comparison sort of 100,000 warnings was a tenth of `validate`.
 */
function sortDiagnostics(found: readonly Diagnostic[], known: readonly number[], nodeCount: number, positionOf: (id: string) => number): Diagnostic[] {
  const slots = nodeCount + 1; // the last slot: no node
  const keys = new Int32Array(found.length);
  const starts = new Int32Array(3 * slots + 1);
  for (let i = 0; i < found.length; i++) {
    const diagnostic = found[i]!;
    const first = diagnostic.nodeIds[0];
    const given = known[i]!;
    const position = given !== -2 ? given : first === undefined ? -1 : positionOf(first);
    const key = SEVERITY_RANK[diagnostic.severity] * slots + (position < 0 ? nodeCount : position);
    keys[i] = key;
    starts[key + 1]!++;
  }
  // Rules mostly report in file order: often there is nothing to sort.
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1]! <= keys[i]!;
  if (sorted) return found.slice();
  for (let k = 1; k < starts.length; k++) starts[k]! += starts[k - 1]!;
  const out = new Array<Diagnostic>(found.length);
  for (let i = 0; i < found.length; i++) out[starts[keys[i]!]!++] = found[i]!;
  return out;
}
