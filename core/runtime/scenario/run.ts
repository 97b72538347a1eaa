import type { Scenario } from '../../model/types.js';
import type { Lab } from '../lab/lab.js';
import type { LoadResult } from '../load/types.js';
import { evaluateScenario, type RequestRecord, type ScenarioEvent } from './evaluate.js';
import type { ScenarioEventOutcome, ScenarioRunResult } from '../../api/contract/lab-results.js';

/** What happened to each timeline event, and the whole run's verdict: the contract's shapes. */
export type { ScenarioEventOutcome, ScenarioRunResult };

/** Options of `runScenario`: `signal` cancels the run, `onEvent` follows it. */
export interface RunScenarioOptions {
  signal?: AbortSignal;
  /** Called with each event outcome as it happens (for live output). */
  onEvent?: (outcome: ScenarioEventOutcome) => void;
}

/**
 * Runs a scenario on a running lab: sends its traffic for the scenario's duration while
 * applying its timeline of faults at their times, records every request, then checks the
 * assertions against the records. A fault that cannot be applied fails the scenario (the
 * run would not test what it says). Every timer is cleared before it returns.
 */
export async function runScenario(lab: Lab, scenario: Scenario, options: RunScenarioOptions = {}): Promise<ScenarioRunResult> {
  const records: RequestRecord[] = [];
  const outcomes: ScenarioEventOutcome[] = [];
  const timers: NodeJS.Timeout[] = [];
  const applied: Promise<void>[] = [];
  const traffic = scenario.traffic;
  /** When each stop had taken effect, in seconds on the traffic's clock (see downIntervalsOf). */
  const stoppedAt = new Map<ScenarioEvent, number>();
  let clockStart = 0;

  const apply = (event: ScenarioEvent): void => {
    const fault = {
      nodeId: event.node,
      action: event.action,
      ...(event.value !== undefined ? { value: event.value } : {}),
      ...(event.route !== undefined ? { route: event.route } : {}),
    };
    applied.push(
      lab.inject(fault).then(
        (message) => {
          if (event.action === 'stop') stoppedAt.set(event, (performance.now() - clockStart) / 1000);
          record({ atSeconds: event.atSeconds, action: event.action, node: event.node, outcome: message, ok: true });
        },
        (error: unknown) =>
          record({ atSeconds: event.atSeconds, action: event.action, node: event.node, outcome: error instanceof Error ? error.message : String(error), ok: false }),
      ),
    );
  };
  const record = (outcome: ScenarioEventOutcome): void => {
    outcomes.push(outcome);
    options.onEvent?.(outcome);
  };

  // The traffic's clock starts inside lab.load, no earlier than this: a stop timed from here
  // is, if anything, later than on the traffic's clock, so its window never takes in a
  // request sent before the node was stopped.
  clockStart = performance.now();
  const load = lab.load({
    to: traffic.to,
    ...(traffic.from !== undefined ? { from: traffic.from } : {}),
    ...(traffic.path !== undefined ? { path: traffic.path } : {}),
    ...(traffic.method !== undefined ? { method: traffic.method } : {}),
    ...(traffic.rps !== undefined ? { rps: traffic.rps } : {}),
    concurrency: traffic.concurrency ?? 4,
    durationSeconds: traffic.durationSeconds,
    ...(options.signal ? { signal: options.signal } : {}),
    onRequest: (r) => records.push({ t: r.sentAtMs / 1000, status: r.status, latencyMs: r.latencyMs, ...(r.servedBy ? { servedBy: r.servedBy } : {}) }),
  });
  // The load's clock starts as it is called; events are timed from the same moment.
  for (const event of scenario.events) {
    if (event.atSeconds >= traffic.durationSeconds) continue;
    timers.push(setTimeout(() => apply(event), event.atSeconds * 1000));
  }
  let summary: LoadResult;
  try {
    summary = await load;
  } finally {
    for (const timer of timers) clearTimeout(timer);
    await Promise.all(applied);
  }
  for (const event of scenario.events) {
    if (event.atSeconds >= traffic.durationSeconds) {
      outcomes.push({ atSeconds: event.atSeconds, action: event.action, node: event.node, outcome: `not applied: the traffic lasts ${traffic.durationSeconds} s`, ok: false });
    }
  }
  outcomes.sort((a, b) => a.atSeconds - b.atSeconds);
  const assertions = evaluateScenario(scenario, records, stoppedAt);
  const passed = !summary.aborted && outcomes.every((o) => o.ok) && assertions.every((a) => a.passed);
  return { scenario: scenario.name, passed, assertions, events: outcomes, load: summary };
}
