import { memo } from 'react';
import { useLab, useLabNode } from '../context.js';

const STATE_LABEL: Record<string, string> = { starting: 'starting', healthy: 'healthy', unhealthy: 'unhealthy', stopped: 'stopped', crashed: 'crashed' };

/**
 * Lab facts drawn on a canvas node while the lab is live: state pill (with progress while
 * starting), loopback endpoint, request rate, a balancer's per-target counts, an API
 * gateway's per-route counts (most requests first; every route in the tooltip), a group's
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
  const routes = data.metrics?.routes;
  // An API gateway shows its per-route counts in place of the per-target ones.
  const targets = routes === undefined && upstreams ? Object.entries(upstreams).sort(([a], [b]) => a.localeCompare(b)) : [];
  const routeCounts = routes ? Object.entries(routes).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)) : [];
  // Two lines inside the node (never over a neighbour's title): state and endpoint, then a
  // gateway's per-route counts, a balancer's per-target counts, or the request rate.
  return (
    <div className="lab-overlay" data-testid={`lab-state-${id}`} data-state={status.state}>
      <span className="lab-line">
        {/* Healthy is a green dot (the endpoint needs the room); any other state is spelled out. */}
        <span className={`lab-pill state-${status.state}${status.state === 'healthy' ? ' is-dot' : ''}`} title={status.reason ?? STATE_LABEL[status.state]}>
          {status.state === 'starting' ? <span className="lab-spinner" aria-hidden="true" /> : null}
          <span className={status.state === 'healthy' ? 'sr-only' : undefined}>{STATE_LABEL[status.state] ?? status.state}</span>
        </span>
        {status.url ? (
          <span className="lab-endpoint mono" data-testid={`lab-endpoint-${id}`} title={`${status.address} → ${status.url}`}>
            {status.url.replace(/^http:\/\//, '')}
          </span>
        ) : null}
      </span>
      {routeCounts.length > 0 ? (
        <span className="lab-line lab-targets lab-routes" data-testid={`lab-routes-${id}`} title={routeCounts.map(([route, count]) => `${route === 'none' ? 'no route matched' : `route ${route}`}: ${count} request${count === 1 ? '' : 's'}`).join('\n')}>
          {routeCounts.map(([route, count]) => (
            <span key={route} className="lab-target" data-route={route} data-count={count}>
              <span className="lab-target-name">{route}</span>:{count}
            </span>
          ))}
        </span>
      ) : targets.length > 0 ? (
        <span className="lab-line lab-targets" data-testid={`lab-targets-${id}`} title={targets.map(([target, up]) => `${target}: ${up.chosen} requests, ${up.healthy ? 'healthy' : `unhealthy${up.reason ? ` (${up.reason})` : ''}`}`).join('\n')}>
          {targets.map(([target, up]) => (
            <span key={target} className={`lab-target${up.healthy ? '' : ' is-down'}`} data-target={target} data-chosen={up.chosen} data-healthy={up.healthy ? 'yes' : 'no'}>
              <span className="lab-target-name">{target}</span>:{up.chosen}
            </span>
          ))}
        </span>
      ) : data.rate > 0 ? (
        <span className="lab-line">
          <span className="lab-rate">{data.rate} req/s</span>
        </span>
      ) : null}
    </div>
  );
});
