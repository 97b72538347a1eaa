/** An inclusive integer interval with a caller's key (a node id, an index). */
export interface Interval<K> {
  first: number | bigint;
  last: number | bigint;
  key: K;
}

/** An interval that overlaps intervals listed before it in the input. */
export interface EarlierOverlaps<K> {
  /** The later interval (the one a person must move). */
  interval: Interval<K>;
  /** The first `limit` earlier intervals it overlaps, in input order. */
  earlier: Interval<K>[];
  /** How many earlier intervals it overlaps in all (at least `earlier.length`). */
  total: number;
}

/** Intervals with the same first and last address (duplicated blocks), in input order. */
interface Block<K> {
  first: number | bigint;
  last: number | bigint;
  /** Input positions, ascending. */
  members: number[];
  /** The blocks strictly containing this one, outermost first. */
  ancestors: Block<K>[];
  /** Input positions of every interval strictly inside this block. */
  inside: number[];
}

/**
 * Every interval that overlaps an interval listed before it, each with the first `limit`
 * of those (input order is file order: the later one is blamed) and their total count,
 * in one pass of O(n log n + n * d * limit), d being the nesting depth (at most 33
 * distinct IPv4 prefix lengths, 129 for IPv6), never n squared, even when thousands of
 * blocks stack on one another or repeat.
 *
 * Made for CIDR blocks of one IP version, which nest or are disjoint, never overlap
 * partly: sorted by first address (largest block first), the blocks open at a point form
 * one chain of ancestors, so every overlapping pair is an ancestor and a descendant, or
 * the same block twice. Throws on intervals that overlap partly. All intervals must be of
 * one kind (all numbers or all bigints).
 */
export function findEarlierOverlaps<K>(intervals: readonly Interval<K>[], limit: number): EarlierOverlaps<K>[] {
  const compare = (a: number, b: number): number => {
    const x = intervals[a]!;
    const y = intervals[b]!;
    return x.first < y.first ? -1 : x.first > y.first ? 1 : x.last > y.last ? -1 : x.last < y.last ? 1 : a - b;
  };
  const order = intervals.map((_, i) => i);
  // Plans are usually written in address order: check in one pass before paying for a sort.
  let sorted = true;
  for (let i = 1; i < order.length && sorted; i++) sorted = compare(i - 1, i) < 0;
  if (!sorted) order.sort(compare);
  if (!anyOverlap(intervals, order)) return []; // the usual case, without building the blocks
  const out: Found<K>[] = [];
  const stack: Block<K>[] = [];
  const close = (block: Block<K>): void => collect(intervals, block, limit, out);
  let current: Block<K> | undefined;
  for (const position of order) {
    const { first, last } = intervals[position]!;
    if (current && current.first === first && current.last === last) {
      current.members.push(position);
      for (const ancestor of current.ancestors) ancestor.inside.push(position);
      continue;
    }
    while (stack.length > 0 && stack[stack.length - 1]!.last < first) close(stack.pop()!);
    const parent = stack[stack.length - 1];
    if (parent && parent.last < last) throw new Error(`findEarlierOverlaps: intervals overlap partly (at input positions ${parent.members[0]} and ${position}); CIDR blocks never do`);
    current = { first, last, members: [position], ancestors: stack.slice(), inside: [] };
    for (const ancestor of current.ancestors) ancestor.inside.push(position);
    stack.push(current);
  }
  while (stack.length > 0) close(stack.pop()!);
  return out.sort((a, b) => a.position - b.position).map((found) => found.entry);
}

/** Whether any interval starts at or before the furthest end seen before it, in sorted order. */
function anyOverlap<K>(intervals: readonly Interval<K>[], order: readonly number[]): boolean {
  let reach: number | bigint | undefined;
  // Indexed: `for...of` allocates per step where this runs unoptimized (once per VPC of a big plan).
  for (let i = 0; i < order.length; i++) {
    const { first, last } = intervals[order[i]!]!;
    if (reach !== undefined && first <= reach) return true;
    if (reach === undefined || last > reach) reach = last;
  }
  return false;
}

/** An entry of the result and the input position of its interval, by which the result is ordered. */
interface Found<K> {
  position: number;
  entry: EarlierOverlaps<K>;
}

/** Number of sorted values below `bound`. */
function countBelow(sorted: readonly number[], bound: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < bound) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Reports each member of a block whose every descendant has been seen: the intervals
 * before it are the earlier members of its ancestors, of itself and of its descendants.
 */
function collect<K>(intervals: readonly Interval<K>[], block: Block<K>, limit: number, out: Found<K>[]): void {
  const inside = block.inside.sort((a, b) => a - b);
  const sources: (readonly number[])[] = [...block.ancestors.map((ancestor) => ancestor.members), block.members, inside];
  for (const position of block.members) {
    let total = 0;
    const candidates: number[] = [];
    for (const source of sources) {
      const count = countBelow(source, position);
      total += count;
      for (let i = 0; i < Math.min(count, limit); i++) candidates.push(source[i]!);
    }
    if (total === 0) continue;
    candidates.sort((a, b) => a - b);
    out.push({ position, entry: { interval: intervals[position]!, earlier: candidates.slice(0, limit).map((i) => intervals[i]!), total } });
  }
}
