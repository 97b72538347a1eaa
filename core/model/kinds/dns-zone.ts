import type { z } from 'zod';
import { safeParseIp } from '../../cidr/address.js';
import type { DnsRecordSchema } from './dns-schema.js';
import type { SchemaKit } from './schema-kit.js';
import { INERT, defineKind, type NodeReference, type ReferenceSlot } from './descriptor.js';
import { EACH } from './reference-path.js';

/** The schema of a node of this kind, built from the kit by node-schemas.ts. */
const nodeSchema = ({ z, DnsRecordSchema, baseFields }: SchemaKit) =>
  z.strictObject({
    ...baseFields,
    kind: z.literal('dns-zone'),
    /** The zone's domain name (`shop.example`); also its label on the canvas. Its syntax is the validator's (`dns-name-invalid`). */
    name: z.string().max(255),
    records: z.array(DnsRecordSchema).max(1000).default([]),
  });

type DnsZone = z.output<ReturnType<typeof nodeSchema>>;
type DnsRecord = z.output<typeof DnsRecordSchema>;

/** Whether a value of an address record may name a node: literal addresses never do. */
function namesNode(record: DnsRecord, value: string): boolean {
  return (record.type === 'A' || record.type === 'AAAA') && safeParseIp(value) === undefined;
}

/**
 * `records[].values[]` of A and AAAA records: a value names a node (its designed address is
 * answered) unless it is a literal address. Not required to resolve: a value naming nothing
 * is explained by `dns-unknown-node`. A removed node leaves the records (a record with no
 * value left goes, and its weights follow its values).
 */
const recordValues: NodeReference<DnsZone> = {
  field: 'records',
  // Where values sit; `slots` keeps those of A and AAAA records that are no literal address.
  at: ['records', EACH, 'values', EACH],
  noun: 'record value',
  accepts: (target) => target.traits.addressable,
  mustResolve: false,
  validatedBy: 'dns-unknown-node',
  slots(node) {
    const out: ReferenceSlot[] = [];
    node.records.forEach((record, r) =>
      record.values.forEach((id, j) => {
        if (namesNode(record, id)) out.push({ id, path: ['records', r, 'values', j] });
      }),
    );
    return out;
  },
  remap(node, map) {
    let changed = false;
    const records: DnsRecord[] = [];
    for (const record of node.records) {
      const values: string[] = [];
      const weights: number[] = [];
      record.values.forEach((value, j) => {
        const next = namesNode(record, value) ? map(value) : value;
        if (next !== value) changed = true;
        if (next === undefined) return;
        values.push(next);
        weights.push(record.weights?.[j] ?? 1);
      });
      if (values.length === 0) continue;
      records.push(values.length === record.values.length && values.every((v, j) => v === record.values[j]) ? record : { ...record, values, ...(record.weights ? { weights } : {}) });
    }
    return changed ? { ...node, records } : node;
  },
};

/**
 * A DNS zone (a Route 53 hosted zone): public at the top level, private when in a VPC. Its
 * records answer names with node addresses under Route 53's routing policies; the lab runs
 * it as a real DNS server (docs/dns.md).
 */
export const dnsZone = defineKind({
  kind: 'dns-zone',
  schema: nodeSchema,
  label: 'DNS zone',
  idPrefix: 'zone',
  // Top level: a public hosted zone; in a VPC: a private hosted zone of that VPC.
  parents: [null, 'vpc'],
  traits: INERT,
  references: [recordValues],
  initial: { records: [] },
});
