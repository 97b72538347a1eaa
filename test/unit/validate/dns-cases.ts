import type { TopologyNode } from '../../../core/model/index.js';
import type { DiagnosticCode, Severity } from '../../../core/validate/index.js';
import { add, type Mutation } from './helpers.js';

/** A trigger and a near miss per DNS code, in the shape codes.test.ts runs (added nodes start at 16). */
export interface DnsCodeCase {
  code: DiagnosticCode;
  name: string;
  trigger: Mutation;
  severity: Severity;
  nodeIds: string[];
  path: string;
  fix?: { field: string; value: unknown };
  message: RegExp;
  nearMiss: Mutation;
  nearMissName: string;
}

type Record = { name: string; type: string; ttl: number; values: string[]; policy: string; weights?: number[]; healthCheck?: object };
const www = (extra: Partial<Record> = {}): Record => ({ name: 'www', type: 'A', ttl: 60, values: ['web-1', 'web-2'], policy: 'simple', ...extra });
const zone = (records: Record[], extra: Partial<{ id: string; name: string; parent: string }> = {}): TopologyNode =>
  ({ id: 'zone', kind: 'dns-zone', name: 'shop.example', records, ...extra }) as unknown as TopologyNode;
const withZone = (records: Record[], extra: Partial<{ id: string; name: string; parent: string }> = {}): Mutation => add(zone(records, extra));
// The base fixture has 17 nodes (public-b gives its ALB a second zone): an added zone is nodes[17].
const RECORD_PATH = 'nodes[17].records';

export const DNS_CASES: DnsCodeCase[] = [
  {
    code: 'dns-name-invalid',
    name: 'a zone name with two dots in a row',
    trigger: withZone([www()], { name: 'shop..example' }),
    severity: 'error',
    nodeIds: ['zone'],
    path: 'nodes[17].name',
    message: /"shop\.\.example" is not a domain name: the name has an empty label/,
    nearMiss: withZone([www()]),
    nearMissName: 'shop.example',
  },
  {
    code: 'dns-name-invalid',
    name: 'a record name with a space',
    trigger: withZone([www({ name: 'my shop' })]),
    severity: 'error',
    nodeIds: ['zone'],
    path: `${RECORD_PATH}[0].name`,
    message: /"my shop" is not a valid name/,
    nearMiss: withZone([www({ name: 'my-shop' })]),
    nearMissName: 'my-shop',
  },
  {
    code: 'dns-zone-duplicate',
    name: 'two public zones for shop.example',
    trigger: (t) => {
      withZone([www()])(t);
      withZone([], { id: 'zone-2' })(t);
    },
    severity: 'error',
    nodeIds: ['zone-2', 'zone'],
    path: 'nodes[18].name',
    message: /both public zones for shop\.example/,
    nearMiss: (t) => {
      withZone([www()])(t);
      withZone([], { id: 'zone-2', parent: 'vpc-main' })(t);
    },
    nearMissName: 'a public and a private zone of the same name (split horizon)',
  },
  {
    code: 'dns-private-zone-parent',
    name: 'a zone inside a subnet',
    trigger: withZone([www()], { parent: 'private-a' }),
    severity: 'error',
    nodeIds: ['zone', 'private-a'],
    path: 'nodes[17].parent',
    fix: { field: 'parent', value: 'vpc-main' },
    message: /is in a subnet.*sits directly in one/,
    nearMiss: withZone([www()], { parent: 'vpc-main' }),
    nearMissName: 'a zone directly in the VPC',
  },
  {
    code: 'dns-record-duplicate',
    name: 'two A record sets for www',
    trigger: withZone([www(), www({ values: ['203.0.113.7'] })]),
    severity: 'error',
    nodeIds: ['zone'],
    path: `${RECORD_PATH}[1].name`,
    message: /records\[0\] already has the name www\.shop\.example and type A/,
    nearMiss: withZone([www(), www({ type: 'TXT', values: ['hello'] })]),
    nearMissName: 'an A and a TXT record of one name',
  },
  {
    code: 'dns-cname-apex',
    name: 'a CNAME at @',
    trigger: withZone([www(), { name: '@', type: 'CNAME', ttl: 300, values: ['www.shop.example'], policy: 'simple' }]),
    severity: 'error',
    nodeIds: ['zone'],
    path: `${RECORD_PATH}[1].type`,
    message: /a CNAME at the zone apex is not allowed/,
    nearMiss: withZone([www(), { name: 'shop', type: 'CNAME', ttl: 300, values: ['www.shop.example'], policy: 'simple' }]),
    nearMissName: 'a CNAME one label below the apex',
  },
  {
    code: 'dns-cname-conflict',
    name: 'a CNAME beside a TXT record',
    trigger: withZone([{ name: 'app', type: 'CNAME', ttl: 300, values: ['www.shop.example'], policy: 'simple' }, { name: 'app', type: 'TXT', ttl: 300, values: ['x'], policy: 'simple' }]),
    severity: 'error',
    nodeIds: ['zone'],
    path: `${RECORD_PATH}[0].type`,
    message: /app\.shop\.example has a CNAME and also TXT records/,
    nearMiss: withZone([{ name: 'app', type: 'CNAME', ttl: 300, values: ['www.shop.example'], policy: 'simple' }, { name: 'www', type: 'TXT', ttl: 300, values: ['x'], policy: 'simple' }]),
    nearMissName: 'the TXT record on another name',
  },
  {
    code: 'dns-unknown-node',
    name: 'a value naming no node',
    trigger: withZone([www({ values: ['web-9'] })]),
    severity: 'error',
    nodeIds: ['zone'],
    path: `${RECORD_PATH}[0].values[0]`,
    message: /"web-9" is neither a node of this design nor an IP address/,
    nearMiss: withZone([www({ values: ['web-1'] })]),
    nearMissName: 'a value naming web-1',
  },
  {
    code: 'dns-value-invalid',
    name: 'an IPv6 address in an A record',
    trigger: withZone([www({ values: ['2001:db8::1'] })]),
    severity: 'error',
    nodeIds: ['zone'],
    path: `${RECORD_PATH}[0].values[0]`,
    message: /2001:db8::1 is an IPv6 address; an A record needs IPv4/,
    nearMiss: withZone([www({ values: ['203.0.113.7'] })]),
    nearMissName: 'an IPv4 literal',
  },
  {
    code: 'dns-ttl-range',
    name: 'a TTL of 2^31',
    trigger: withZone([www({ ttl: 2_147_483_648 })]),
    severity: 'error',
    nodeIds: ['zone'],
    path: `${RECORD_PATH}[0].ttl`,
    message: /TTL 2147483648 is out of range.*0 to 2147483647/,
    nearMiss: withZone([www({ ttl: 2_147_483_647 })]),
    nearMissName: 'a TTL of 2^31 - 1',
  },
  {
    code: 'dns-ttl-range',
    name: 'a negative TTL',
    trigger: withZone([www({ ttl: -1 })]),
    severity: 'error',
    nodeIds: ['zone'],
    path: `${RECORD_PATH}[0].ttl`,
    message: /TTL -1 is out of range/,
    nearMiss: withZone([www({ ttl: 0 })]),
    nearMissName: 'a TTL of 0',
  },
  {
    code: 'dns-policy-values',
    name: 'failover with three values',
    trigger: withZone([www({ policy: 'failover', values: ['web-1', 'web-2', '203.0.113.7'] })]),
    severity: 'error',
    nodeIds: ['zone'],
    path: `${RECORD_PATH}[0].values`,
    message: /failover needs exactly two values/,
    nearMiss: withZone([www({ policy: 'failover' })]),
    nearMissName: 'failover with a primary and a secondary',
  },
  {
    code: 'dns-policy-values',
    name: 'weights that do not match the values',
    trigger: withZone([www({ policy: 'weighted', weights: [1] })]),
    severity: 'error',
    nodeIds: ['zone'],
    path: `${RECORD_PATH}[0].weights`,
    message: /1 weights for 2 values/,
    nearMiss: withZone([www({ policy: 'weighted', weights: [1, 0] })]),
    nearMissName: 'one weight per value',
  },
  {
    code: 'dns-health-check-ignored',
    name: 'a health check on a simple record',
    trigger: withZone([www({ healthCheck: { path: '/health' } })]),
    severity: 'warning',
    nodeIds: ['zone'],
    path: `${RECORD_PATH}[0].healthCheck`,
    message: /health checks do not apply to simple records/,
    nearMiss: withZone([www({ policy: 'multivalue', healthCheck: { path: '/health' } })]),
    nearMissName: 'a health check on a multivalue record',
  },
];

