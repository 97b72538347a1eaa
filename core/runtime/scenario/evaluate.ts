import type { Assertion, Scenario } from '../../model/types.js';
import { nearestRankPercentile } from '../metrics/percentile.js';
import type { AssertionResult } from '../../api/contract/lab-results.js';

/** One request of a scenario run, as the traffic loop recorded it. */
export interface RequestRecord {
  /** Seconds from the scenario start at which the request was sent. */
  t: number;
  /** HTTP status, or `error` when no response came (refused, reset, timeout). */
  status: number | 'error';
  /** The `x-served-by` node id of the answer, when there was one. */
  servedBy?: string;
  latencyMs: number;
}

/** A closed-open interval of seconds during which a node was stopped by the scenario. */
export type DownIntervals = ReadonlyMap<string, readonly [number, number][]>;

/** The verdict on one assertion, with what was observed, in words (the contract's shape). */
export type { AssertionResult };

/** A scenario's timeline event. */
export type ScenarioEvent = Scenario['events'][number];

/** When the run saw each stop take effect and each start begin, in seconds on the requests' timeline. */
export interface EventTimes {
  stoppedAt?: ReadonlyMap<ScenarioEvent, number>;
  startBegunAt?: ReadonlyMap<ScenarioEvent, number>;
}

/**
 * Seconds during which each node was down, from the scenario's stop/start events, on the
 * requests' timeline. Where the run knows when things really happened (a loaded machine fires
 * a timer late, and a call to another process takes time), a window holds only the time the
 * node was certainly down: from the moment its stop had taken effect (`stoppedAt`) to the
 * moment its start was begun (`startBegunAt`), each within the scheduled times. A request
 * sent before the node was actually stopped, or after it was started again, may rightly be
 * served by it. Without those times the scheduled ones are used.
 */
export function downIntervalsOf(scenario: Scenario, times: EventTimes = {}): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  const openSince = new Map<string, number>();
  const events = scenario.events.slice().sort((a, b) => a.atSeconds - b.atSeconds);
  for (const event of events) {
    if (event.action === 'stop' && !openSince.has(event.node)) openSince.set(event.node, Math.max(event.atSeconds, times.stoppedAt?.get(event) ?? event.atSeconds));
    if (event.action === 'start') {
      const since = openSince.get(event.node);
      if (since !== undefined) {
        const until = Math.min(event.atSeconds, times.startBegunAt?.get(event) ?? event.atSeconds);
        if (until > since) push(out, event.node, [since, until]);
        openSince.delete(event.node);
      }
    }
  }
  for (const [node, since] of openSince) push(out, node, [since, Number.POSITIVE_INFINITY]);
  return out;
}

function push(map: Map<string, [number, number][]>, key: string, value: [number, number]): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function windowOf(assertion: Assertion, down: DownIntervals): { test: (t: number) => boolean; words: string } {
  const words: string[] = [];
  const tests: ((t: number) => boolean)[] = [];
  if (assertion.after !== undefined) {
    const after = assertion.after;
    tests.push((t) => t >= after);
    words.push(`after ${after} s`);
  }
  if (assertion.before !== undefined) {
    const before = assertion.before;
    tests.push((t) => t < before);
    words.push(`before ${before} s`);
  }
  if (assertion.whileDown !== undefined) {
    const intervals = down.get(assertion.whileDown) ?? [];
    tests.push((t) => intervals.some(([from, to]) => t >= from && t < to));
    words.push(`while ${assertion.whileDown} is down`);
  }
  return { test: (t) => tests.every((f) => f(t)), words: words.length ? ` ${words.join(' and ')}` : '' };
}

function statusMatches(status: number | 'error', pattern: string): boolean {
  if (pattern === 'error') return status === 'error';
  if (status === 'error') return false;
  if (pattern.endsWith('xx')) return Math.floor(status / 100) === Number(pattern[0]);
  return status === Number(pattern);
}

const percent = (x: number): string => `${(x * 100).toFixed(1).replace(/\.0$/, '')}%`;

function shares(records: readonly RequestRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) if (r.servedBy !== undefined) counts.set(r.servedBy, (counts.get(r.servedBy) ?? 0) + 1);
  return counts;
}

/** Checks one assertion against the recorded requests. Pure. */
export function evaluateAssertion(assertion: Assertion, records: readonly RequestRecord[], down: DownIntervals): AssertionResult {
  const window = windowOf(assertion, down);
  const selected = records.filter((r) => window.test(r.t));
  const n = selected.length;
  const result = (passed: boolean, description: string, observed: string): AssertionResult => ({
    assertion,
    passed,
    description: description + window.words,
    observed,
    requests: n,
  });
  if (n === 0) {
    return result(false, describeAssertion(assertion), 'no request was sent in this window, so nothing was checked');
  }
  switch (assertion.type) {
    case 'no-status': {
      const bad = selected.filter((r) => statusMatches(r.status, assertion.status));
      const first = bad[0];
      return result(
        bad.length === 0,
        describeAssertion(assertion),
        bad.length === 0 ? `none of ${n} requests got ${assertion.status}` : `${bad.length} of ${n} requests got ${assertion.status} (first at ${first?.t.toFixed(1)} s)`,
      );
    }
    case 'share': {
      const answered = selected.filter((r) => r.servedBy !== undefined).length;
      const mine = selected.filter((r) => r.servedBy === assertion.server).length;
      const share = answered === 0 ? 0 : mine / answered;
      const passed = answered > 0 && (assertion.min === undefined || share >= assertion.min) && (assertion.max === undefined || share <= assertion.max);
      return result(passed, describeAssertion(assertion), `${assertion.server} served ${mine} of ${answered} answered requests (${percent(share)})`);
    }
    case 'balanced': {
      const counts = shares(selected);
      const servers = assertion.servers ?? [...counts.keys()].sort();
      const total = servers.reduce((sum, s) => sum + (counts.get(s) ?? 0), 0);
      if (servers.length === 0 || total === 0) return result(false, describeAssertion(assertion), 'no backend answered');
      const even = 1 / servers.length;
      let worst = 0;
      const parts = servers.map((s) => {
        const share = (counts.get(s) ?? 0) / total;
        worst = Math.max(worst, Math.abs(share - even));
        return `${s} ${percent(share)}`;
      });
      return result(worst <= assertion.within, describeAssertion(assertion), `${parts.join(', ')} (largest deviation from ${percent(even)}: ${percent(worst)})`);
    }
    case 'latency': {
      const latencies = selected.filter((r) => r.status !== 'error').map((r) => r.latencyMs).sort((a, b) => a - b);
      const p = { p50: 0.5, p90: 0.9, p99: 0.99, max: 1 }[assertion.percentile];
      const value = nearestRankPercentile(latencies, p);
      return result(latencies.length > 0 && value < assertion.belowMs, describeAssertion(assertion), `${assertion.percentile} was ${value.toFixed(1)} ms over ${latencies.length} answered requests`);
    }
    case 'success-rate': {
      const ok = selected.filter((r) => r.status !== 'error' && r.status < 400).length;
      return result(ok / n >= assertion.min, describeAssertion(assertion), `${ok} of ${n} requests succeeded (${percent(ok / n)})`);
    }
  }
}

/** The assertion as a sentence, without its window. */
export function describeAssertion(assertion: Assertion): string {
  switch (assertion.type) {
    case 'no-status':
      return `no ${assertion.status}`;
    case 'share': {
      const bounds = [assertion.min !== undefined ? `at least ${percent(assertion.min)}` : '', assertion.max !== undefined ? `at most ${percent(assertion.max)}` : '']
        .filter(Boolean)
        .join(' and ');
      return `${assertion.server} serves ${bounds || 'some'} of the traffic`;
    }
    case 'balanced':
      return `share per backend within ${percent(assertion.within)} of an even split`;
    case 'latency':
      return `${assertion.percentile} latency under ${assertion.belowMs} ms`;
    case 'success-rate':
      return `at least ${percent(assertion.min)} of requests succeed`;
  }
}

/** Checks every assertion of a scenario. */
export function evaluateScenario(scenario: Scenario, records: readonly RequestRecord[], times: EventTimes = {}): AssertionResult[] {
  const down = downIntervalsOf(scenario, times);
  return scenario.assertions.map((assertion) => evaluateAssertion(assertion, records, down));
}
