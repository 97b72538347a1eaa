import { useState } from 'react';
import type { Topology } from '../../../core/model/index.js';
import { isMethodName } from '../../../core/api/contract/index.js';
import { useLab } from '../context.js';

/** The scenarios stored in the design, with a Run button once the service offers `lab.scenario`. */
export function ScenariosPanel({ doc }: { doc: Topology }) {
  const running = useLab((s) => s.phase === 'running');
  const scenarios = doc.scenarios ?? [];
  const [note] = useState(() => (isMethodName('lab.scenario') ? null : 'Running scenarios from the canvas needs the lab.scenario method; run them headless with `topolab test FILE` meanwhile.'));
  if (scenarios.length === 0) return <p className="muted lab-hint">This design has no scenarios. A scenario is a timeline of faults with traffic and assertions, stored in the file under "scenarios".</p>;
  return (
    <div className="lab-scenarios" data-testid="scenarios-panel">
      {note ? <p className="muted">{note}</p> : null}
      <ul>
        {scenarios.map((scenario) => (
          <li key={scenario.name} data-testid={`scenario-${scenario.name}`}>
            <b>{scenario.name}</b> <span className="muted">{scenario.description ?? ''}</span>
            <div className="muted">
              {scenario.traffic.durationSeconds} s to {scenario.traffic.to}; {scenario.events.length} event(s); {scenario.assertions.length} assertion(s)
            </div>
            <button type="button" className="button small" disabled={!running || note !== null} title={note ?? 'Run this scenario on the running lab'}>
              Run
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
