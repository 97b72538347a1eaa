import type { NodeReference, ReferencedKind, ReferenceSlot } from './descriptor.js';

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
  return {
    field,
    noun,
    accepts,
    mustResolve: true,
    ...(validatedBy !== undefined ? { validatedBy } : {}),
    slots(node) {
      const list = (node as Record<string, readonly string[] | undefined>)[field] ?? [];
      return list.map((id, j): ReferenceSlot => ({ id, path: [field, j] }));
    },
    remap(node, map) {
      const list = (node as Record<string, readonly string[] | undefined>)[field];
      if (list === undefined) return node;
      const next = mapIds(list, map);
      return next === list ? node : { ...node, [field]: next };
    },
  };
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
