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
  /**
   * When each stop had taken effect and each start was begun, in seconds from clockStart:
   * the timeline the requests are laid on too (see downIntervalsOf).
   */
  const stoppedAt = new Map<ScenarioEvent, number>();
  const startBegunAt = new Map<ScenarioEvent, number>();
  const now = (): number => (performance.now() - clockStart) / 1000;
  let clockStart = 0;

  const apply = (event: ScenarioEvent): void => {
    if (event.action === 'start') startBegunAt.set(event, now());
    const fault = {
      nodeId: event.node,
      action: event.action,
      ...(event.value !== undefined ? { value: event.value } : {}),
      ...(event.route !== undefined ? { route: event.route } : {}),
    };
    applied.push(
      lab.inject(fault).then(
        (message) => {
          if (event.action === 'stop') stoppedAt.set(event, now());
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

  // One timeline for requests and events: seconds from here, in this process. Requests are
  // placed on it by their send time on the machine's shared clock (sentAtEpochMs), since the
  // traffic may run in another process (the kernel lab sends from a namespace) whose own
  // clock starts later by however long the call took to reach it.
  clockStart = performance.now();
  const originMs = performance.timeOrigin + clockStart;
  const load = lab.load({
    to: traffic.to,
    ...(traffic.from !== undefined ? { from: traffic.from } : {}),
    ...(traffic.path !== undefined ? { path: traffic.path } : {}),
    ...(traffic.method !== undefined ? { method: traffic.method } : {}),
    ...(traffic.rps !== undefined ? { rps: traffic.rps } : {}),
    concurrency: traffic.concurrency ?? 4,
    durationSeconds: traffic.durationSeconds,
    ...(options.signal ? { signal: options.signal } : {}),
    onRequest: (r) => records.push({ t: (r.sentAtEpochMs - originMs) / 1000, status: r.status, latencyMs: r.latencyMs, ...(r.servedBy ? { servedBy: r.servedBy } : {}) }),
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
  const assertions = evaluateScenario(scenario, records, { stoppedAt, startBegunAt });
  const passed = !summary.aborted && outcomes.every((o) => o.ok) && assertions.every((a) => a.passed);
  return { scenario: scenario.name, passed, assertions, events: outcomes, load: summary };
}
