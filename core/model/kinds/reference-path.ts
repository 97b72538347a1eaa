/**
 * Where a reference's ids sit inside a node, as data: `['subnets', EACH]`,
 * `['routes', EACH, 'target']`, `['rules', EACH, 'upstreams', EACH]`. A descriptor declares
 * each reference's path once; its `slots` are read through it, and so are the file
 * schema's reference checks (core/model/integrity.ts), on the zod path and on the loader's
 * fast path alike, which gets the same paths copied into the generated parser
 * (`npm run schema`). This module imports nothing, so the fast path stays free of zod.
 */

/** A path step that goes into every element of an array. */
export const EACH = '*';

/** Field names, and `EACH` for every element of an array. */
export type ReferencePath = readonly string[];

/**
 * Calls `visit` with every string at `path` inside `node` that is not one of `keywords`,
 * in document order, with the array positions the `EACH` steps took (reused between
 * calls: copy it to keep it). Anything missing or of another shape on the way is skipped.
 */
export function visitIdsAt(node: unknown, path: ReferencePath, keywords: readonly string[] | undefined, visit: (id: string, positions: readonly number[]) => void): void {
  const positions: number[] = [];
  const step = (value: unknown, depth: number): void => {
    if (depth === path.length) {
      if (typeof value === 'string' && (keywords === undefined || !keywords.includes(value))) visit(value, positions);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const part = path[depth]!;
    if (part !== EACH) {
      step((value as Record<string, unknown>)[part], depth + 1);
      return;
    }
    if (!Array.isArray(value)) return;
    for (let j = 0; j < value.length; j++) {
      positions.push(j);
      step(value[j], depth + 1);
      positions.pop();
    }
  };
  step(node, 0);
}

/** The path inside the node of one id found by `visitIdsAt`: each `EACH` replaced by its position. */
export function pathAt(path: ReferencePath, positions: readonly number[]): (string | number)[] {
  let k = 0;
  return path.map((part) => (part === EACH ? positions[k++]! : part));
}

/**
 * A reference the file schema checks: every id at `at` must name a node of the document,
 * or it is refused with "<noun> "<id>" is not a node of this topology". Plain data, so the
 * generated parser can carry a copy of the table.
 */
export interface ResolvingReference {
  readonly noun: string;
  readonly at: ReferencePath;
  readonly keywords?: readonly string[];
  /** A value naming no node may be a DNS name of one of the document's zones instead (`NodeReference.dnsNames`). */
  readonly dnsNames?: boolean;
}

/** Per node kind, the references whose ids must resolve (parents aside: every node has one). */
export type ResolvingReferences = Readonly<Record<string, readonly ResolvingReference[]>>;
