import { useMemo, useState } from 'react';
import type { Topology } from '../../../core/model/index.js';
import { useLab } from '../context.js';
import { endpointRows } from '../endpoints.js';

/** Every published entry point: designed address, loopback URL and a curl to copy. */
export function EndpointsPanel({ doc }: { doc: Topology }) {
  const nodes = useLab((s) => s.nodes);
  const rows = useMemo(() => endpointRows(doc, Object.values(nodes)), [doc, nodes]);
  const [copied, setCopied] = useState<string | null>(null);
  const copy = (id: string, text: string) => {
    void navigator.clipboard?.writeText(text).then(
      () => setCopied(id),
      () => setCopied(null),
    );
  };
  if (rows.length === 0) return <p className="muted lab-hint">No entry points yet: launch the lab. A node is published when a client of the design or the internet can reach it.</p>;
  return (
    <table className="lab-table" data-testid="endpoints-table">
      <thead>
        <tr>
          <th>Node</th>
          <th>Designed address</th>
          <th>Loopback URL</th>
          <th>curl</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} data-testid={`endpoint-${row.id}`}>
            <td>
              <b>{row.name}</b> <span className="muted">{row.role}</span>
            </td>
            <td className="mono">{row.address}</td>
            <td className="mono">{row.url ? <a href={row.role === 'forward-proxy' ? undefined : row.url} target="_blank" rel="noreferrer">{row.url}</a> : <span className="muted">stopped</span>}</td>
            <td className="lab-curl">
              {row.curl ? (
                <>
                  <code data-testid={`curl-${row.id}`}>{row.curl}</code>
                  <button type="button" className="button small" onClick={() => copy(row.id, row.curl ?? '')}>
                    {copied === row.id ? 'Copied' : 'Copy'}
                  </button>
                </>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
