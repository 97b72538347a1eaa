import type { ZoneRecordSet } from './zone.js';

/**
 * The values a record set may answer given their health, whatever the draw or rotation:
 * what a health change is judged by ("did it change the answer?"). Simple records ignore
 * health; failover answers the primary, else the secondary; the others answer their healthy
 * values, and every value when none is healthy (Route 53 fails open); zero weights count
 * only when no non-zero value is healthy.
 */
export function selectableValues(record: ZoneRecordSet, healthy: (index: number) => boolean): number[] {
  const all = record.values.map((_, i) => i);
  if (record.policy === 'simple') return all;
  const live = all.filter(healthy);
  const candidates = live.length > 0 ? live : all;
  if (record.policy === 'failover') {
    const [primary, secondary] = all;
    if (primary !== undefined && healthy(primary)) return [primary];
    if (secondary !== undefined && healthy(secondary)) return [secondary];
    return primary !== undefined ? [primary] : [];
  }
  if (record.policy === 'weighted') {
    const nonZero = candidates.filter((i) => (record.values[i]?.weight ?? 1) > 0);
    return nonZero.length > 0 ? nonZero : candidates;
  }
  return candidates;
}
