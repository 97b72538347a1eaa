/**
 * Route 53-style health checks of record values, run by the lab: each value of a record
 * set with a `healthCheck` is probed as a balancer probes (HTTP path and status, or TCP),
 * `fall` failures in a row mark it unhealthy and `rise` passes healthy again. A value whose
 * address no lab node listens on fails its checks, as it would in the real network.
 */
import { probe, resolveHealthCheck, type HealthSettings } from '../balancing/health.js';
import type { Endpoint } from '../services/types.js';
import type { DnsHealthChange, DnsState } from './state.js';

/** Maps a value (its node, else its address) to the loopback endpoint its checks reach. */
export type CheckEndpoint = (value: { data: string; nodeId?: string }) => Endpoint | undefined;

interface Checked {
  zoneId: string;
  recordIndex: number;
  valueIndex: number;
  value: { data: string; nodeId?: string };
  settings: HealthSettings;
  passed: number;
  failed: number;
  pending: boolean;
}

/** Probes every checked value on its record set's interval and reports changes to the state. */
export class DnsHealthMonitor {
  private readonly checked: Checked[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private abort = new AbortController();
  private running = false;

  constructor(
    private readonly state: DnsState,
    private readonly endpointOf: CheckEndpoint,
    private readonly onChange: (change: DnsHealthChange) => void,
  ) {
    for (const zone of state.zones) {
      zone.records.forEach((record, recordIndex) => {
        if (!record.healthCheck || record.policy === 'simple') return;
        const settings = resolveHealthCheck(record.healthCheck, 'http');
        record.values.forEach((value, valueIndex) => {
          this.checked.push({ zoneId: zone.id, recordIndex, valueIndex, value: { data: value.data, ...(value.nodeId !== undefined ? { nodeId: value.nodeId } : {}) }, settings, passed: 0, failed: 0, pending: false });
        });
      });
    }
  }

  /** How many values are checked. */
  get size(): number {
    return this.checked.length;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    const byInterval = new Map<number, Checked[]>();
    for (const c of this.checked) byInterval.set(c.settings.intervalMs, [...(byInterval.get(c.settings.intervalMs) ?? []), c]);
    for (const [interval, group] of byInterval) {
      const tick = (): void => group.forEach((c) => this.check(c));
      tick();
      this.timers.push(setInterval(tick, interval));
    }
  }

  stop(): void {
    this.running = false;
    this.abort.abort();
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
  }

  private check(c: Checked): void {
    if (c.pending || !this.running) return;
    const endpoint = this.endpointOf(c.value);
    if (!endpoint) {
      this.record(c, `no lab node listens on ${c.value.data}`);
      return;
    }
    c.pending = true;
    void probe(c.settings, endpoint, this.abort.signal).then((reason) => {
      c.pending = false;
      if (this.running) this.record(c, reason);
    });
  }

  private record(c: Checked, failure: string | undefined): void {
    const healthy = this.state.isHealthy(c.zoneId, c.recordIndex, c.valueIndex);
    if (failure === undefined) {
      c.passed++;
      c.failed = 0;
      if (!healthy && c.passed >= c.settings.rise) this.report(c, true, `passed ${c.settings.rise} checks`);
    } else {
      c.failed++;
      c.passed = 0;
      if (healthy && c.failed >= c.settings.fall) this.report(c, false, failure);
    }
  }

  private report(c: Checked, healthy: boolean, reason: string): void {
    const change = this.state.setHealth(c.zoneId, c.recordIndex, c.valueIndex, healthy, reason);
    if (change) this.onChange(change);
  }
}
