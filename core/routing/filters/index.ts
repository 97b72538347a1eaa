/**
 * Traffic filters, as AWS documents them: security groups (stateful, allow only) and
 * network ACLs (stateless, numbered, first match wins). A pure module with one job per
 * file, for the trace, the validator, the live lab's gate and the kernel lab alike:
 *
 * - `FilterSet` (resolve.ts): which groups filter a node, which ACL sits at a subnet, who
 *   the members of a group are, whether a group may name another;
 * - `evaluateSecurityGroups` / `evaluateNetworkAcl` (evaluate.ts): one `Packet` against
 *   compiled rules -> the verdict and the rules that matched (or the rule that denied);
 * - rules.ts and ports.ts: strict parsing of rules and `ports`.
 */
export * from '../../model/ports.js';
export * from './rules.js';
export * from './evaluate.js';
export * from './resolve.js';
export { describeAclRule, describeSgRule } from './words.js';
