import type { NodeReference, ReferencedKind, ReferenceSlot } from './descriptor.js';
import { EACH, pathAt, visitIdsAt } from './reference-path.js';

/**
 * A reference from its declaration: `slots` read through its `at` path, so where the ids
 * sit is written once (the file schema's checks read the same path).
 */
export function declareReference<N>(spec: Omit<NodeReference<N>, 'slots'>): NodeReference<N> {
  return {
    ...spec,
    slots(node) {
      const out: ReferenceSlot[] = [];
      visitIdsAt(node, spec.at, spec.keywords, (id, positions) => out.push({ id, path: pathAt(spec.at, positions) }));
      return out;
    },
  };
}

/** Keys of `N` whose value is a list of ids (optional or not). */
type IdListKey<N> = { [F in keyof N]-?: NonNullable<N[F]> extends readonly string[] ? F : never }[keyof N] & string;

/**
 * A field holding a list of node ids (`subnets: ["a", "b"]`): a dropped id leaves the
 * list, a renamed one is renamed in place.
 */
export function idListReference<N extends object>(
  field: IdListKey<N>,
  noun: string,
  accepts: (target: ReferencedKind) => boolean,
  validatedBy?: string,
): NodeReference<N> {
  return declareReference<N>({
    field,
    at: [field, EACH],
    noun,
    accepts,
    mustResolve: true,
    ...(validatedBy !== undefined ? { validatedBy } : {}),
    remap(node, map) {
      const list = (node as Record<string, readonly string[] | undefined>)[field];
      if (list === undefined) return node;
      const next = mapIds(list, map);
      return next === list ? node : { ...node, [field]: next };
    },
  });
}

/**
 * A field holding a fixed pair of ids (a peering's two VPCs): the node means nothing
 * once either is gone.
 */
export function idPairReference<N extends object>(
  field: IdListKey<N>,
  noun: string,
  accepts: (target: ReferencedKind) => boolean,
  validatedBy?: string,
): NodeReference<N> {
  const list = idListReference<N>(field, noun, accepts, validatedBy);
  return {
    ...list,
    remap(node, map) {
      const ids = (node as Record<string, readonly string[]>)[field] ?? [];
      const mapped = ids.map(map);
      if (mapped.some((id) => id === undefined)) return null;
      return mapped.every((id, j) => id === ids[j]) ? node : { ...node, [field]: mapped };
    },
  };
}

/** `list` with each id mapped and dropped ids left out; the same array when nothing changed. */
export function mapIds(list: readonly string[], map: (id: string) => string | undefined): string[] {
  let changed = false;
  const out: string[] = [];
  for (const id of list) {
    const next = map(id);
    if (next !== id) changed = true;
    if (next !== undefined) out.push(next);
  }
  return changed ? out : (list as string[]);
}
