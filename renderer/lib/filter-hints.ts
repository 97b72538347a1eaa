import { contains, safeParseCidr, type CidrBlock } from '../../core/cidr/index.js';
import type { FilterProtocol, NaclRule, SgInboundRule, SgOutboundRule } from '../../core/model/index.js';
import { isCidrPeer } from '../../core/model/index.js';
import { portsCover, portsOverlap, safeParsePorts, type PortRange } from '../../core/model/ports.js';

/**
 * Hints for the rule tables, shown under a row as the user edits: what the validator does
 * not say because nothing is wrong with the file, only with the intent. Pure.
 */

/** What a rule matches, parsed; `undefined` when it does not parse (the validator explains those). */
interface Match {
  protocol: FilterProtocol;
  /** `undefined`: every port (icmp, all). */
  ports: PortRange | undefined;
  /** A block, or a group id. */
  peer: CidrBlock | string;
}

function matchOf(protocol: FilterProtocol, ports: string | undefined, peerText: string): Match | undefined {
  let range: PortRange | undefined;
  if (protocol === 'tcp' || protocol === 'udp') {
    const parsed = ports === undefined ? undefined : safeParsePorts(ports);
    if (!parsed?.ok) return undefined;
    range = parsed.range;
  }
  if (!isCidrPeer(peerText)) return peerText === '' ? undefined : { protocol, ports: range, peer: peerText };
  const block = safeParseCidr(peerText);
  return block.ok ? { protocol, ports: range, peer: block.block } : undefined;
}

/** Whether every packet `inner` matches, `outer` matches too. */
function covers(outer: Match, inner: Match): boolean {
  if (outer.protocol !== 'all' && outer.protocol !== inner.protocol) return false;
  if (outer.ports && (!inner.ports || !portsCover(outer.ports, inner.ports))) return false;
  if (typeof outer.peer === 'string' || typeof inner.peer === 'string') return outer.peer === inner.peer;
  return outer.peer.version === inner.peer.version && contains(outer.peer, inner.peer);
}

/** Whether some packet both match. */
function overlaps(a: Match, b: Match): boolean {
  if (a.protocol !== 'all' && b.protocol !== 'all' && a.protocol !== b.protocol) return false;
  if (a.ports && b.ports && !portsOverlap(a.ports, b.ports)) return false;
  if (typeof a.peer === 'string' || typeof b.peer === 'string') return a.peer === b.peer;
  return a.peer.version === b.peer.version && (contains(a.peer, b.peer) || contains(b.peer, a.peer));
}

/**
 * Network ACL hints, by the rule's index in the list: a number used twice; a rule that
 * never matches because a lower-numbered one decides all its traffic first; a rule that
 * overlaps a lower-numbered one with the other action (where both match, the lower wins).
 */
export function aclRuleHints(rules: readonly NaclRule[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const add = (i: number, text: string): void => void out.set(i, [...(out.get(i) ?? []), text]);
  const parsed = rules.map((r) => matchOf(r.protocol, r.ports, r.cidr));
  rules.forEach((rule, i) => {
    if (rules.some((other, j) => j !== i && other.rule === rule.rule)) add(i, `rule number ${rule.rule} is used twice: each rule needs its own number`);
    const mine = parsed[i];
    if (!mine) return;
    const earlier = rules.map((other, j) => ({ other, j })).filter(({ other, j }) => other.rule < rule.rule && parsed[j] !== undefined).sort((a, b) => a.other.rule - b.other.rule);
    const shadow = earlier.find(({ j }) => covers(parsed[j] as Match, mine));
    if (shadow) {
      add(i, `never matches: rule ${shadow.other.rule} (${shadow.other.action}) decides all of its traffic first`);
      return;
    }
    const clash = earlier.find(({ other, j }) => other.action !== rule.action && overlaps(parsed[j] as Match, mine));
    if (clash) add(i, `overlaps rule ${clash.other.rule} (${clash.other.action}): where both match, rule ${clash.other.rule} decides`);
  });
  return out;
}

/** Security group hints, by index: a rule another rule of the list already allows in full. */
export function sgRuleHints(rules: readonly (SgInboundRule | SgOutboundRule)[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const parsed = rules.map((r) => matchOf(r.protocol, r.ports, 'source' in r ? r.source : r.destination));
  rules.forEach((_, i) => {
    const mine = parsed[i];
    if (!mine) return;
    // Of two identical rules, the second is the redundant one.
    const other = parsed.findIndex((p, j) => j !== i && p !== undefined && covers(p, mine) && (j < i || !covers(mine, p)));
    if (other >= 0) out.set(i, [`already allowed by rule ${other + 1}: security group rules add up, so this one changes nothing`]);
  });
  return out;
}

/** The next free ACL rule number: 100 steps above the highest, as AWS's convention leaves room in between. */
export function nextRuleNumber(rules: readonly NaclRule[]): number {
  const highest = Math.max(0, ...rules.map((r) => (Number.isInteger(r.rule) ? r.rule : 0)));
  return Math.min(32766, Math.floor(highest / 100) * 100 + 100);
}
