import type { DnsRecord, Topology } from '../../core/model/index.js';
import { ActionRefused } from './errors.js';

/** Replaces the records of a DNS zone (the records table commits the whole list). */
export function setDnsRecords(doc: Topology, input: { zoneId: string; records: DnsRecord[] }): Topology {
  let found = false;
  const nodes = doc.nodes.map((node) => {
    if (node.id !== input.zoneId || node.kind !== 'dns-zone') return node;
    found = true;
    return { ...node, records: input.records.map((r) => ({ ...r, name: r.name.trim(), values: r.values.map((v) => v.trim()).filter((v) => v !== '') })) };
  });
  if (!found) throw new ActionRefused(`No DNS zone "${input.zoneId}" in this design`);
  return { ...doc, nodes };
}

/** A new record for a zone: `www` (or the next free `wwwN`), A, 60 s, simple, naming `value`. */
export function newDnsRecord(existing: readonly DnsRecord[], value: string): DnsRecord {
  const taken = new Set(existing.map((r) => r.name));
  let name = 'www';
  for (let n = 2; taken.has(name); n++) name = `www${n}`;
  return { name, type: 'A', ttl: 60, values: [value], policy: 'simple' };
}
