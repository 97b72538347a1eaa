import { describe, expect, it } from 'vitest';
import { ScenarioSchema } from '../../../core/model/schema.js';
import { downIntervalsOf, evaluateScenario, type RequestRecord } from '../../../core/runtime/scenario/evaluate.js';

const scenario = ScenarioSchema.parse({
  name: 'failover',
  traffic: { to: 'lb', durationSeconds: 20 },
  events: [
    { atSeconds: 5, action: 'stop', node: 'web-1' },
    { atSeconds: 15, action: 'start', node: 'web-1' },
  ],
  assertions: [
    { type: 'no-status', status: '5xx', after: 8 },
    { type: 'share', server: 'web-2', min: 1, whileDown: 'web-1', after: 8 },
    { type: 'balanced', within: 0.1, before: 5 },
    { type: 'latency', percentile: 'p99', belowMs: 100 },
    { type: 'success-rate', min: 0.9 },
  ],
});

/** Round robin over two servers, web-1 down from 5 s to 15 s, failing until the health check at 7 s. */
function run(): RequestRecord[] {
  const out: RequestRecord[] = [];
  for (let i = 0; i < 200; i++) {
    const t = i / 10;
    const down = t >= 5 && t < 15;
    const turn = i % 2 === 0 ? 'web-1' : 'web-2';
    if (down && turn === 'web-1' && t < 7) out.push({ t, status: 502, latencyMs: 3 });
    else out.push({ t, status: 200, servedBy: down ? 'web-2' : turn, latencyMs: 5 + (i % 7) });
  }
  return out;
}

describe('scenario assertions', () => {
  it('computes down intervals from stop/start events', () => {
    expect(downIntervalsOf(scenario).get('web-1')).toEqual([[5, 15]]);
  });

  it('ends a window when the start was begun, if that is before its scheduled time on the requests\' timeline', () => {
    const [stop, start] = scenario.events;
    expect(downIntervalsOf(scenario, { stoppedAt: new Map([[stop!, 5.2]]), startBegunAt: new Map([[start!, 14.6]]) }).get('web-1')).toEqual([[5.2, 14.6]]);
    expect(downIntervalsOf(scenario, { startBegunAt: new Map([[start!, 15.4]]) }).get('web-1')).toEqual([[5, 15]]);
    // A window that closes before it opens holds nothing.
    expect(downIntervalsOf(scenario, { stoppedAt: new Map([[stop!, 15.2]]), startBegunAt: new Map([[start!, 15]]) }).get('web-1')).toBeUndefined();
  });

  it('counts a stop from when it took effect, never before its scheduled time', () => {
    const [stop] = scenario.events;
    expect(downIntervalsOf(scenario, { stoppedAt: new Map([[stop!, 5.2]]) }).get('web-1')).toEqual([[5.2, 15]]);
    expect(downIntervalsOf(scenario, { stoppedAt: new Map([[stop!, 4]]) }).get('web-1')).toEqual([[5, 15]]);
    // A request sent at 5.1 s, before a stop fired late took effect, may be served by web-1.
    const only = { ...scenario, assertions: [{ type: 'share' as const, server: 'web-2', min: 1, whileDown: 'web-1' }] };
    const late: RequestRecord[] = [
      { t: 5.1, status: 200, servedBy: 'web-1', latencyMs: 1 },
      { t: 5.3, status: 200, servedBy: 'web-2', latencyMs: 1 },
    ];
    expect(evaluateScenario(only, late)[0]?.passed).toBe(false);
    expect(evaluateScenario(only, late, { stoppedAt: new Map([[stop!, 5.2]]) })[0]?.passed).toBe(true);
  });

  it('passes every assertion of a healthy failover', () => {
    const results = evaluateScenario(scenario, run());
    expect(results.map((r) => [r.description, r.passed])).toEqual([
      ['no 5xx after 8 s', true],
      ['web-2 serves at least 100% of the traffic after 8 s and while web-1 is down', true],
      ['share per backend within 10% of an even split before 5 s', true],
      ['p99 latency under 100 ms', true],
      ['at least 90% of requests succeed', true],
    ]);
  });

  it('fails with what was observed when 5xx appear in the window', () => {
    const records = run().map((r) => (r.t >= 9 && r.t < 9.5 ? { ...r, status: 503 as const, servedBy: undefined } : r));
    const [noStatus] = evaluateScenario(scenario, records);
    expect(noStatus?.passed).toBe(false);
    expect(noStatus?.observed).toMatch(/^5 of 120 requests got 5xx \(first at 9\.0 s\)$/);
  });

  it('fails a share assertion when the backup does not take all traffic', () => {
    const records = run().map((r) => (r.t >= 10 && r.t < 11 ? { ...r, servedBy: 'web-1' } : r));
    const share = evaluateScenario(scenario, records)[1];
    expect(share?.passed).toBe(false);
    expect(share?.observed).toContain('web-2 served');
  });

  it('never passes an assertion whose window saw no request', () => {
    const results = evaluateScenario(scenario, run().filter((r) => r.t < 5));
    expect(results[0]?.passed).toBe(false);
    expect(results[0]?.observed).toMatch(/no request/);
  });

  it('refuses an unknown assertion type in the file', () => {
    const parsed = ScenarioSchema.safeParse({ name: 'x', traffic: { to: 'a', durationSeconds: 1 }, assertions: [{ type: 'vibes' }] });
    expect(parsed.success).toBe(false);
  });
});
