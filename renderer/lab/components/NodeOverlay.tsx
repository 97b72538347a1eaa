import { memo } from 'react';
import { useLab, useLabNode } from '../context.js';

const STATE_LABEL: Record<string, string> = { starting: 'starting', healthy: 'healthy', unhealthy: 'unhealthy', stopped: 'stopped', crashed: 'crashed' };

/**
 * Lab facts drawn on a canvas node while the lab is live: state pill (with progress while
 * starting), loopback endpoint, request rate, a balancer's per-target counts, a group's
 * instance count. Renders nothing when the lab is idle or the node runs nothing.
 */
export const LabNodeOverlay = memo(function LabNodeOverlay({ id }: { id: string }) {
  const data = useLabNode(id);
  const group = useLab((s) => s.groupLive[id]);
  const groupStatus = useLab((s) => s.groups[id]);
  if (!data) return null;
  if (group || groupStatus) {
    const count = group?.instances ?? groupStatus?.instances.length ?? 0;
    return (
      <div className="lab-overlay lab-overlay-group" data-testid={`lab-group-${id}`} data-instances={count}>
        <span className="lab-pill state-healthy">{count} instance{count === 1 ? '' : 's'}</span>
        {group && group.desired !== count ? <span className="lab-pill state-starting">→ {group.desired}</span> : null}
      </div>
    );
  }
  const status = data.status;
  if (!status) return null;
  const upstreams = data.metrics?.upstreams;
  return (
    <div className="lab-overlay" data-testid={`lab-state-${id}`} data-state={status.state}>
      <span className={`lab-pill state-${status.state}`} title={status.reason ?? STATE_LABEL[status.state]}>
        {status.state === 'starting' ? <span className="lab-spinner" aria-hidden="true" /> : null}
        {STATE_LABEL[status.state] ?? status.state}
      </span>
      {status.url ? (
        <span className="lab-endpoint mono" data-testid={`lab-endpoint-${id}`} title={`${status.address} → ${status.url}`}>
          {status.url.replace(/^http:\/\//, '')}
        </span>
      ) : null}
      {data.rate > 0 ? <span className="lab-rate">{data.rate} req/s</span> : null}
      {upstreams && Object.keys(upstreams).length > 0 ? (
        <span className="lab-targets" data-testid={`lab-targets-${id}`}>
          {Object.entries(upstreams)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([target, up]) => (
              <span key={target} className={up.healthy ? '' : 'is-down'} data-target={target} data-chosen={up.chosen} data-healthy={up.healthy ? "yes" : "no"} title={up.reason ?? (up.healthy ? 'healthy' : 'unhealthy')}>
                {target}: {up.chosen}
              </span>
            ))}
        </span>
      ) : null}
    </div>
  );
});
