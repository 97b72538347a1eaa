import { useState } from 'react';
import type { MethodOutput } from '../../../core/api/contract/index.js';
import type { Topology } from '../../../core/model/index.js';
import { failureText } from '../controller.js';
import { useLab, useLabController } from '../context.js';

/** What `lab.scenario` answers: every assertion's verdict, the timeline and the traffic summary. */
export type ScenarioRun = MethodOutput<'lab.scenario'>;

/**
 * The scenarios stored in the design, each with a Run button: the running lab plays its
 * traffic and timeline of faults (the canvas shows the effects as they happen), then every
 * assertion is shown with what was observed. The same runs headless with `topolab test`.
 */
export function ScenariosPanel({ doc }: { doc: Topology }) {
  const controller = useLabController();
  const running = useLab((s) => s.phase === 'running');
  const scenarios = doc.scenarios ?? [];
  const [busy, setBusy] = useState<string | null>(null);
  const [results, setResults] = useState<Record<string, ScenarioRun | string>>({});
  if (scenarios.length === 0) return <p className="muted lab-hint">This design has no scenarios. A scenario is a timeline of faults with traffic and assertions, stored in the file under "scenarios"; `topolab test FILE` runs them headless.</p>;

  const run = async (name: string) => {
    setBusy(name);
    try {
      const result = await controller.scenario(name);
      setResults((r) => ({ ...r, [name]: result }));
    } catch (error) {
      setResults((r) => ({ ...r, [name]: failureText(error) }));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="lab-scenarios" data-testid="scenarios-panel">
      {scenarios.map((scenario) => {
        const result = results[scenario.name];
        return (
          <section key={scenario.name} className="lab-scenario" data-testid={`scenario-${scenario.name}`}>
            <header>
              <b>{scenario.name}</b> <span className="muted">{scenario.description ?? ''}</span>
              <button
                type="button"
                className="button small primary"
                data-testid={`scenario-run-${scenario.name}`}
                disabled={!running || busy !== null}
                title={running ? 'Run this scenario on the running lab' : 'Launch the lab first'}
                onClick={() => void run(scenario.name)}
              >
                {busy === scenario.name ? `Running (${scenario.traffic.durationSeconds} s)…` : 'Run'}
              </button>
            </header>
            <div className="muted">
              {scenario.traffic.durationSeconds} s of traffic to {scenario.traffic.to}; {scenario.events.map((e) => `at ${e.atSeconds} s ${e.action} ${e.node}`).join(', ') || 'no faults'}; {scenario.assertions.length} assertion(s)
            </div>
            {typeof result === 'string' ? (
              <p className="lab-problem" role="alert">
                {result}
              </p>
            ) : result ? (
              <ScenarioResult result={result} />
            ) : null}
          </section>
        );
      })}
    </div>
  );
}

function ScenarioResult({ result }: { result: ScenarioRun }) {
  return (
    <div className="lab-scenario-result" data-testid="scenario-result" data-passed={result.passed ? 'yes' : 'no'}>
      <p className={result.passed ? 'lab-agree' : 'lab-problem'}>
        {result.passed ? 'Every assertion holds.' : 'Some assertions failed.'} {result.load.requests} requests, {result.load.rps} req/s.
      </p>
      <ul className="lab-assertions">
        {result.assertions.map((a, i) => (
          <li key={i} className={a.passed ? 'is-pass' : 'is-fail'} data-testid="scenario-assertion" data-passed={a.passed ? 'yes' : 'no'}>
            {a.passed ? '✓' : '✗'} {a.description} <span className="muted">— {a.observed}</span>
          </li>
        ))}
      </ul>
      {result.events.length > 0 ? (
        <ol className="lab-events">
          {result.events.map((e, i) => (
            <li key={i} className={e.ok ? '' : 'lab-problem'}>
              at {e.atSeconds} s: {e.outcome}
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
