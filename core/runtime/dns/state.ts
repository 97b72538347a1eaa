/**
 * The live state behind the answers: value health, rotation counters and the per-zone
 * metrics. The server asks it to answer; the health monitor tells it what changed, and it
 * reports a health change that changes what a record answers.
 */
import { answerQuestion, type AnswerResult, type DnsQuestion } from '../../routing/dns/answer.js';
import { selectableValues } from '../../routing/dns/selectable.js';
import { valueKey, type ClientContext, type ZoneSpec } from '../../routing/dns/zone.js';

/** Counters of one zone since the server started. */
export interface DnsZoneMetrics {
  zoneId: string;
  name: string;
  /** Questions this zone answered (the first zone of a CNAME chain counts). */
  queries: number;
  nxdomain: number;
  nodata: number;
  /** Per record set (`www.shop.example A`), how often each value was answered. */
  answers: Record<string, Record<string, number>>;
}

/** A health change of one value and what its record set answers now. */
export interface DnsHealthChange {
  zoneId: string;
  name: string;
  type: string;
  /** The value whose health changed, and the node it names. */
  value: string;
  nodeId?: string;
  healthy: boolean;
  reason: string;
  /** The values the record set may answer after the change (fail-open applied). */
  answering: string[];
  /** Whether that list differs from before the change. */
  answerChanged: boolean;
}

/** Zones, health and counters of one DNS service. */
export class DnsState {
  private readonly health = new Map<string, boolean>();
  private readonly rotations = new Map<string, number>();
  private readonly counters = new Map<string, DnsZoneMetrics>();

  constructor(
    readonly zones: readonly ZoneSpec[],
    private readonly random: () => number = Math.random,
  ) {
    for (const zone of zones) this.counters.set(zone.id, { zoneId: zone.id, name: zone.name, queries: 0, nxdomain: 0, nodata: 0, answers: {} });
  }

  /** Answers one question for a client and counts it. */
  answer(question: DnsQuestion, client: ClientContext): AnswerResult {
    const result = answerQuestion(this.zones, question, {
      client,
      healthy: (zoneId, r, v) => this.health.get(valueKey(zoneId, r, v)) ?? true,
      nextRotation: (zoneId, r) => {
        const key = `${zoneId}/${r}`;
        const n = this.rotations.get(key) ?? 0;
        this.rotations.set(key, n + 1);
        return n;
      },
      random: this.random,
    });
    const counter = result.zoneId !== undefined ? this.counters.get(result.zoneId) : undefined;
    if (counter) {
      counter.queries++;
      if (result.rcode === 'NXDOMAIN') counter.nxdomain++;
      else if (result.rcode === 'NOERROR' && result.answers.length === 0) counter.nodata++;
    }
    for (const chosen of result.chosen) {
      const zone = this.counters.get(chosen.zoneId);
      if (!zone) continue;
      const perSet = (zone.answers[`${chosen.name} ${chosen.type}`] ??= {});
      perSet[chosen.data] = (perSet[chosen.data] ?? 0) + 1;
    }
    return result;
  }

  /** Whether a value is healthy now (values nobody checks always are). */
  isHealthy(zoneId: string, recordIndex: number, valueIndex: number): boolean {
    return this.health.get(valueKey(zoneId, recordIndex, valueIndex)) ?? true;
  }

  /** Records a health verdict; returns the change when the health flipped, else undefined. */
  setHealth(zoneId: string, recordIndex: number, valueIndex: number, healthy: boolean, reason: string): DnsHealthChange | undefined {
    const zone = this.zones.find((z) => z.id === zoneId);
    const record = zone?.records[recordIndex];
    const value = record?.values[valueIndex];
    if (!zone || !record || !value) return undefined;
    if (this.isHealthy(zoneId, recordIndex, valueIndex) === healthy) return undefined;
    const health = (i: number): boolean => this.isHealthy(zoneId, recordIndex, i);
    const before = selectableValues(record, health);
    this.health.set(valueKey(zoneId, recordIndex, valueIndex), healthy);
    const after = selectableValues(record, health);
    return {
      zoneId,
      name: record.name,
      type: record.type,
      value: value.data,
      ...(value.nodeId !== undefined ? { nodeId: value.nodeId } : {}),
      healthy,
      reason,
      answering: after.map((i) => record.values[i]?.data ?? ''),
      answerChanged: before.join(',') !== after.join(','),
    };
  }

  /** A copy of every zone's counters. */
  metrics(): DnsZoneMetrics[] {
    return [...this.counters.values()].map((c) => ({ ...c, answers: Object.fromEntries(Object.entries(c.answers).map(([k, v]) => [k, { ...v }])) }));
  }
}
