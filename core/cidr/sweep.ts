/** An inclusive integer interval with a caller's key (a node id, an index). */
export interface Interval<K> {
  first: number | bigint;
  last: number | bigint;
  key: K;
}

/** A pair of overlapping intervals: `later` starts at or after `earlier`. */
export interface OverlapPair<K> {
  earlier: K;
  later: K;
  /** `later` lies entirely inside `earlier`. */
  nested: boolean;
}

/**
 * Sort-and-sweep overlap detection in O(n log n): after sorting by start, an interval
 * overlaps something earlier exactly when it starts at or before the furthest end seen
 * so far. Each overlapping interval is reported once, paired with the interval reaching
 * furthest (the one a person must move it out of), so the output is at most n - 1 pairs
 * even when thousands of blocks stack on one another. All intervals must be of one kind
 * (all numbers or all bigints).
 */
export function findOverlaps<K>(intervals: readonly Interval<K>[]): OverlapPair<K>[] {
  const sorted = intervals.slice().sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : a.last > b.last ? -1 : a.last < b.last ? 1 : 0));
  const out: OverlapPair<K>[] = [];
  let reach: Interval<K> | undefined;
  for (const current of sorted) {
    if (reach && current.first <= reach.last) {
      out.push({ earlier: reach.key, later: current.key, nested: current.last <= reach.last });
      if (current.last > reach.last) reach = current;
    } else {
      reach = current;
    }
  }
  return out;
}
