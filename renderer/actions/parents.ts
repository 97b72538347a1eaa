import { ALLOWED_PARENTS, KIND_LABELS, type NodeKind } from '../../core/model/index.js';
import type { Verdict } from './errors.js';

/** Whether a node of `kind` may sit in a container of `parentKind` (`null`: the top level). */
export function parentAllowed(kind: NodeKind, parentKind: NodeKind | null): boolean {
  return ALLOWED_PARENTS[kind].includes(parentKind);
}

function article(label: string): string {
  return /^[AEIOU]/i.test(label) ? `an ${label.toLowerCase()}` : `a ${label.toLowerCase()}`;
}

/** Where a kind may go, as a phrase: "inside a subnet or an auto-scaling group". */
export function describeAllowedParents(kind: NodeKind): string {
  const places = ALLOWED_PARENTS[kind].map((p) => (p === null ? 'on the open canvas' : `inside ${article(KIND_LABELS[p]).replace('vpc', 'VPC')}`));
  return places.join(' or ');
}

/** Whether a node may be placed in a container, with the reason when not. */
export function checkParent(kind: NodeKind, parentKind: NodeKind | null): Verdict {
  if (parentAllowed(kind, parentKind)) return { ok: true };
  const where = parentKind === null ? 'on the open canvas' : `in ${article(KIND_LABELS[parentKind]).replace('vpc', 'VPC')}`;
  return { ok: false, reason: `${article(KIND_LABELS[kind]).replace(/^(an?) vpc/, '$1 VPC')} cannot go ${where}: place it ${describeAllowedParents(kind)}` };
}
