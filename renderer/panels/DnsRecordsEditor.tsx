import { useState } from 'react';
import { dnsRecordName, dnsValueMeaning, KIND_TRAITS, resolveAddresses, TopologyIndex, type DnsRecord, type DnsZoneNode, type Topology } from '../../core/model/index.js';
import { newDnsRecord, setDnsRecords } from '../actions/dns.js';
import { useLab } from '../lab/context.js';
import { useEditor } from '../lib/context.js';

const TYPES: DnsRecord['type'][] = ['A', 'AAAA', 'CNAME', 'TXT'];
const POLICIES: DnsRecord['policy'][] = ['simple', 'weighted', 'failover', 'multivalue', 'latency'];

/**
 * A zone's records as a table: name, type, TTL, policy, values (node ids or addresses,
 * comma-separated), weights, health check; while the lab runs, how often each value was
 * answered. Each change commits the whole list (one undo step per field being typed in).
 */
export function DnsRecordsEditor({ doc, zone }: { doc: Topology; zone: DnsZoneNode }) {
  const editor = useEditor();
  const [rows, setRows] = useState<DnsRecord[]>(zone.records);
  const [source, setSource] = useState(zone.records);
  if (source !== zone.records) {
    setSource(zone.records);
    setRows(zone.records);
  }
  const dns = useLab((s) => s.dns?.zones.find((z) => z.zoneId === zone.id) ?? null);
  const index = new TopologyIndex(doc);
  const addresses = resolveAddresses(index);
  const commit = (next: DnsRecord[], field: string) => {
    setRows(next);
    // A record needs a value: one being typed empty stays in the table until it has one.
    if (next.some((r) => r.values.every((v) => v.trim() === ''))) return;
    editor.apply(`Edit records of ${zone.id}`, (d) => setDnsRecords(d, { zoneId: zone.id, records: next }), { coalesce: `${zone.id}.records.${field}` });
  };
  const edit = (i: number, patch: Partial<DnsRecord>, field: string) => commit(rows.map((r, j) => (j === i ? withPatch(r, patch) : r)), `${i}.${field}`);
  // A new record names the first node that takes plain HTTP at an address of its own.
  const firstServer = doc.nodes.find((n) => KIND_TRAITS[n.kind].addressable && KIND_TRAITS[n.kind].receives === 'http')?.id ?? '203.0.113.10';
  return (
    <div className="dns-records" data-testid="dns-records">
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>TTL</th>
            <th>Policy</th>
            <th>Values</th>
            {dns ? <th>Answers</th> : null}
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {rows.map((record, i) => (
            <tr key={i} data-testid={`dns-record-${i}`}>
              <td>
                <input value={record.name} data-testid={`dns-name-${i}`} spellCheck={false} title={dnsRecordName(zone, record)} onChange={(e) => edit(i, { name: e.target.value }, 'name')} onBlur={() => editor.seal()} />
              </td>
              <td>
                <select value={record.type} data-testid={`dns-type-${i}`} onChange={(e) => edit(i, { type: e.target.value as DnsRecord['type'] }, 'type')}>
                  {TYPES.map((t) => (
                    <option key={t}>{t}</option>
                  ))}
                </select>
              </td>
              <td>
                <input value={String(record.ttl)} inputMode="numeric" data-testid={`dns-ttl-${i}`} onChange={(e) => edit(i, { ttl: Number(e.target.value) }, 'ttl')} onBlur={() => editor.seal()} />
              </td>
              <td>
                <select value={record.policy} data-testid={`dns-policy-${i}`} onChange={(e) => edit(i, { policy: e.target.value as DnsRecord['policy'] }, 'policy')}>
                  {POLICIES.map((p) => (
                    <option key={p}>{p}</option>
                  ))}
                </select>
                <label className="muted">
                  <input type="checkbox" checked={record.healthCheck !== undefined} data-testid={`dns-check-${i}`} onChange={(e) => edit(i, { healthCheck: e.target.checked ? { path: '/health' } : undefined }, 'check')} /> checked
                </label>
              </td>
              <td>
                <input value={record.values.join(', ')} data-testid={`dns-values-${i}`} spellCheck={false} placeholder="web-1, 203.0.113.7" onChange={(e) => edit(i, { values: e.target.value.split(',').map((v) => v.trim()) }, 'values')} onBlur={() => editor.seal()} />
                {record.policy === 'weighted' ? (
                  <input value={(record.weights ?? []).join(', ')} data-testid={`dns-weights-${i}`} placeholder="weights: 3, 1" onChange={(e) => edit(i, { weights: e.target.value.split(',').filter((w) => w.trim() !== '').map((w) => Number(w.trim())) }, 'weights')} onBlur={() => editor.seal()} />
                ) : null}
              </td>
              {dns ? (
                <td className="answers" data-testid={`dns-answers-${i}`}>
                  {record.values.map((value) => {
                    const meaning = dnsValueMeaning(index, addresses, record, value);
                    const data = meaning.kind === 'address' ? meaning.address : meaning.kind === 'name' ? meaning.name : value;
                    const count = dns.answers[`${dnsRecordName(zone, record)} ${record.type}`]?.[data] ?? 0;
                    return (
                      <div key={value} data-value={value} data-count={count}>
                        {value}: {count}
                      </div>
                    );
                  })}
                </td>
              ) : null}
              <td>
                <button type="button" className="icon-button" aria-label={`Remove record ${record.name}`} data-testid={`dns-remove-${i}`} onClick={() => commit(rows.filter((_, j) => j !== i), `remove-${i}-${Date.now()}`)}>
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {dns ? (
        <p className="muted" data-testid="dns-zone-live">
          {dns.queries} queries, {dns.nxdomain} NXDOMAIN
        </p>
      ) : null}
      <button type="button" className="button small" data-testid="dns-add" onClick={() => commit([...rows, newDnsRecord(rows, firstServer)], `add-${rows.length}-${Date.now()}`)}>
        + Add record
      </button>
    </div>
  );
}

/** A record with fields changed; `undefined` removes a field (a health check turned off). */
function withPatch(record: DnsRecord, patch: Partial<DnsRecord>): DnsRecord {
  const next: Record<string, unknown> = { ...record, ...patch };
  for (const [key, value] of Object.entries(patch)) if (value === undefined) delete next[key];
  return next as DnsRecord;
}
