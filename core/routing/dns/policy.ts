/**
 * Route 53's routing policies as pure selection: which values of a record set one query is
 * answered with. Health follows "How Amazon Route 53 chooses records when health checking is
 * configured": a value without a health check is always healthy; when no value is healthy,
 * every value is treated as healthy (fail open); a weighted value of weight 0 is considered
 * only when every value of non-zero weight is unhealthy.
 */
import type { ZoneRecordSet } from './zone.js';

/** Route 53 answers at most eight values of a multivalue record set. */
export const MULTIVALUE_LIMIT = 8;

/** What one selection may use besides the record set. */
export interface SelectionContext {
  /** Whether value `i` is healthy now. */
  healthy: (index: number) => boolean;
  /** Increments per query of this record set: the rotation of simple and multivalue answers. */
  rotation: number;
  /** Uniform in [0, 1): the weighted draw and the multivalue sample. */
  random: () => number;
  /** The region of the client, for latency records. */
  clientRegion?: string;
}

/**
 * Indices of the values to answer, in answer order. Simple and multivalue answers are
 * rotated one step per query (round robin); weighted, failover and latency answer one value.
 */
export function selectValues(record: ZoneRecordSet, context: SelectionContext): number[] {
  const all = record.values.map((_, i) => i);
  if (all.length === 0) return [];
  if (record.policy === 'simple') return rotate(all, context.rotation);
  const healthy = all.filter((i) => context.healthy(i));
  // Fail open: with no healthy value Route 53 considers them all healthy.
  const candidates = healthy.length > 0 ? healthy : all;
  switch (record.policy) {
    case 'multivalue': {
      const chosen = candidates.length > MULTIVALUE_LIMIT ? sample(candidates, MULTIVALUE_LIMIT, context.random) : candidates;
      return rotate(chosen, context.rotation);
    }
    case 'weighted':
      return [weightedPick(record, candidates, context)];
    case 'failover': {
      const [primary, secondary] = all;
      if (primary !== undefined && context.healthy(primary)) return [primary];
      if (secondary !== undefined && context.healthy(secondary)) return [secondary];
      return primary !== undefined ? [primary] : [];
    }
    case 'latency': {
      const local = candidates.filter((i) => context.clientRegion !== undefined && record.values[i]?.region === context.clientRegion);
      // No inter-region latency model: outside any value's region the first listed value answers.
      return [local[0] ?? (candidates[0] as number)];
    }
  }
}

/**
 * Every value a query of this record set may be answered with while every value is healthy,
 * whatever the draw or rotation: what `trace` follows. Multivalue and weighted may answer any
 * of their values (weight 0 only when all are 0), failover the primary, latency the value of
 * the client's region (else the first).
 */
export function possibleValues(record: ZoneRecordSet, clientRegion?: string): number[] {
  const all = record.values.map((_, i) => i);
  switch (record.policy) {
    case 'simple':
    case 'multivalue':
      return all;
    case 'weighted': {
      const nonZero = all.filter((i) => (record.values[i]?.weight ?? 1) > 0);
      return nonZero.length > 0 ? nonZero : all;
    }
    case 'failover':
      return all.slice(0, 1);
    case 'latency': {
      const local = all.find((i) => clientRegion !== undefined && record.values[i]?.region === clientRegion);
      return [local ?? 0].filter((i) => i < all.length);
    }
  }
}

function weightedPick(record: ZoneRecordSet, candidates: number[], context: SelectionContext): number {
  const weight = (i: number): number => record.values[i]?.weight ?? 1;
  const nonZero = candidates.filter((i) => weight(i) > 0);
  if (nonZero.length === 0) {
    // Only zero weights left (every non-zero value unhealthy, or all set to 0): equal chances.
    return candidates[Math.min(candidates.length - 1, Math.floor(context.random() * candidates.length))] as number;
  }
  const total = nonZero.reduce((sum, i) => sum + weight(i), 0);
  let draw = context.random() * total;
  for (const i of nonZero) {
    draw -= weight(i);
    if (draw < 0) return i;
  }
  return nonZero[nonZero.length - 1] as number;
}

function rotate<T>(items: readonly T[], by: number): T[] {
  if (items.length === 0) return [];
  const shift = ((by % items.length) + items.length) % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/** `count` distinct items drawn without replacement, kept in their listed order. */
function sample(items: readonly number[], count: number, random: () => number): number[] {
  const pool = [...items];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j] as number, pool[i] as number];
  }
  const chosen = new Set(pool.slice(0, count));
  return items.filter((i) => chosen.has(i));
}
