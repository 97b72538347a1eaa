import type { Topology } from '../model/types.js';
import { buildValidationContext } from './context.js';
import type { Diagnostic } from './diagnostic.js';
import { Findings, type DiagnosticList } from './findings.js';
import { RULES, type Report } from './rules/index.js';

export * from './diagnostic.js';
export { buildValidationContext, isPublicSubnet, subnetFacts, type SubnetFacts, type ValidationContext } from './context.js';
export { effectiveRouteTable, routeTableAssociations, type RouteTableAssociations } from '../routing/associations.js';
export { RULES, type ValidationRule } from './rules/index.js';
export { diagnosticList, type DiagnosticList } from './findings.js';

/** What the loader's fast path resolved while checking a file (fast-load.ts), for TopologyIndex: see its constructor. */
export interface LoaderIndexes {
  positions?: ReadonlyMap<string, number>;
  parents?: Int32Array;
  references?: ReadonlyMap<number, readonly number[]>;
}

/**
 * Every problem of a topology: errors, then warnings, then info; within a severity in the
 * file order of the first node each is about, ties in the order the rules found them.
 * Builds one shared context (parsed CIDRs, addresses, associations) and runs each rule
 * of rules/ over it. Never throws on a schema-valid topology. `options.positions`: the id
 * map the loader built for these very nodes (fast-load.ts), so they are not indexed twice;
 * `options.parents`: each node's parent position, as the same loader resolved it;
 * `options.references`: the positions each node's references name, as it resolved them.
 */
export function validateTopology(topology: Topology, options: LoaderIndexes = {}): Diagnostic[] {
  return validateTopologyList(topology, options).toArray();
}

/**
 * `validateTopology`, as a list read one diagnostic at a time (findings.ts): what a caller
 * that writes the diagnostics out uses, so that a finding reported once per subnet of a big
 * plan is built when it is written, not held with 100,000 others until then.
 */
export function validateTopologyList(topology: Topology, options: LoaderIndexes = {}): DiagnosticList {
  const context = buildValidationContext(topology, options.positions, options.parents, options.references);
  const findings = new Findings();
  const report = ((diagnostic: Diagnostic, position?: number): void => findings.add(diagnostic, position)) as Report;
  report.described = (code, severity, position, describe, subject) => findings.described(code, severity, position, describe, subject);
  for (const rule of RULES) rule.check(context, report);
  if (findings.length < 2) return findings.list(undefined);
  return findings.list(sortOrder(findings, context.index.topology.nodes.length, (id) => context.index.indexOf(id)));
}

/**
 * Errors, then warnings, then info; within a severity by the position of the first node
 * (none last), ties in the order found. A counting sort over (severity, position): linear,
 * where a comparison sort of 100,000 warnings was a tenth of `validate`. One pass builds the
 * keys and sees whether they are in order already (rules mostly report in file order), with
 * the severities read from their array and ranked by comparison: this runs once, mostly
 * unoptimized, where a call and a keyed lookup per finding cost more than the rest.
 */
function sortOrder(found: Findings, nodeCount: number, positionOf: (id: string) => number): Int32Array | undefined {
  const slots = nodeCount + 1; // the last slot: no node
  const count = found.length;
  const keys = new Int32Array(count);
  const starts = new Int32Array(3 * slots + 1);
  const known = found.positions;
  const severities = found.severityArray();
  let sorted = true;
  let previous = -1;
  for (let i = 0; i < count; i++) {
    let position = known[i]!;
    if (position === -2) {
      // Only a diagnostic reported as it is comes without its position: no building here.
      const first = found.at(i).nodeIds[0];
      position = first === undefined ? -1 : positionOf(first);
    }
    const severity = severities[i];
    const rank = severity === 'error' ? 0 : severity === 'warning' ? 1 : 2;
    const key = rank * slots + (position < 0 ? nodeCount : position);
    keys[i] = key;
    starts[key + 1]!++;
    if (key < previous) sorted = false;
    previous = key;
  }
  if (sorted) return undefined;
  for (let k = 1; k < starts.length; k++) starts[k]! += starts[k - 1]!;
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[starts[keys[i]!]!++] = i;
  return order;
}
