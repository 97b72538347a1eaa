import type { Topology } from '../../../core/model/index.js';
import { useLab } from '../context.js';

/** Auto-scaling groups: instances live, desired and bounds, the tracked metric, and every scale event on a timeline. */
export function ScalingPanel({ doc }: { doc: Topology }) {
  const groups = useLab((s) => s.groups);
  const live = useLab((s) => s.groupLive);
  const events = useLab((s) => s.scaleEvents);
  const startedAt = useLab((s) => s.startedAt ?? 0);
  const ids = doc.nodes.filter((n) => n.kind === 'autoscaling-group').map((n) => n.id);
  if (ids.length === 0) return <p className="muted lab-hint">This design has no auto-scaling group.</p>;
  const span = Math.max(10_000, Date.now() - startedAt);
  return (
    <div className="lab-scaling" data-testid="scaling-panel">
      {ids.map((id) => {
        const group = groups[id];
        const now = live[id];
        const mine = events.filter((e) => e.group === id);
        return (
          <section key={id} className="lab-group" data-testid={`group-${id}`} data-instances={now?.instances ?? group?.instances.length ?? 0}>
            <h4>
              {id}: <span data-testid={`group-count-${id}`}>{now?.instances ?? group?.instances.length ?? 0}</span> instance(s)
              <span className="muted">
                {' '}
                desired {now?.desired ?? group?.desired ?? '—'} · min {group?.min ?? '—'} · max {group?.max ?? '—'}
                {now?.metric ? ` · ${now.metric.name} ${Math.round(now.metric.value * 10) / 10} (target ${now.metric.target})` : ''}
              </span>
            </h4>
            <div className="lab-timeline" aria-label={`scale events of ${id}`}>
              {mine.map((e, i) => (
                <span key={i} className={`lab-tick scale-${e.direction}`} style={{ left: `${Math.min(100, ((e.at - startedAt) / span) * 100)}%` }} title={`${new Date(e.at).toLocaleTimeString()}: ${e.from} → ${e.to}`} data-testid="scale-event">
                  {e.from}→{e.to}
                </span>
              ))}
            </div>
            <ul className="lab-events">
              {mine.slice(-8).map((e, i) => (
                <li key={i}>
                  {new Date(e.at).toLocaleTimeString()} · {e.direction} {e.from} → {e.to}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

/** The lab log, newest last. */
export function LogPanel() {
  const log = useLab((s) => s.log);
  return (
    <ol className="lab-log" data-testid="lab-log">
      {log.slice(-200).map((line, i) => (
        <li key={i} className={`log-${line.level}`} data-topic={line.topic}>
          <span className="mono muted">{new Date(line.at).toLocaleTimeString()}</span> <span className="log-topic">{line.topic}</span> {line.message}
        </li>
      ))}
    </ol>
  );
}
