import { resolveAddresses } from '../../model/addresses.js';
import { dnsRecordName, dnsValueMeaning, MAX_DNS_TTL } from '../../model/dns.js';
import { domainNameProblem, isInZone, normalizeDomainName } from '../../model/dns-names.js';
import type { DnsRecord, DnsZoneNode } from '../../model/types.js';
import type { ValidationContext } from '../context.js';
import type { Diagnostic } from '../diagnostic.js';
import { nameOf, type Report, type ValidationRule } from './rule.js';

/**
 * The records of each zone, checked as Route 53 would accept them: names, TTLs, CNAME rules
 * (RFC 1034 §3.6.2, RFC 1912 §2.4), values that name nodes or addresses, and what each
 * routing policy needs.
 */
export const dnsRecordsRule: ValidationRule = {
  name: 'dns-records',
  codes: ['dns-name-invalid', 'dns-record-duplicate', 'dns-cname-apex', 'dns-cname-conflict', 'dns-unknown-node', 'dns-value-invalid', 'dns-ttl-range', 'dns-policy-values', 'dns-health-check-ignored'],
  check(context, report) {
    const zones = context.index.ofKind('dns-zone');
    if (zones.length === 0) return;
    const addresses = resolveAddresses(context.index);
    for (const zone of zones) checkZone(context, zone, addresses, report);
  },
};

function checkZone(context: ValidationContext, zone: DnsZoneNode, addresses: ReturnType<typeof resolveAddresses>, report: Report): void {
  const { index } = context;
  const at = (i: number, ...field: (string | number)[]): string => index.pathOf(zone.id, 'records', i, ...field);
  const issue = (code: Diagnostic['code'], i: number, message: string, field: (string | number)[], severity: Diagnostic['severity'] = 'error'): void =>
    report({ code, severity, message: `DNS zone ${nameOf(context, zone.id)}, record ${describe(zone, zone.records[i] as DnsRecord)}: ${message}`, nodeIds: [zone.id], path: at(i, ...field) });
  const byName = new Map<string, number[]>();
  const zoneNameOk = domainNameProblem(zone.name) === undefined;
  zone.records.forEach((record, i) => {
    const fqdn = dnsRecordName(zone, record);
    byName.set(fqdn, [...(byName.get(fqdn) ?? []), i]);
    // Under an invalid zone name every record name is invalid too: dns-zones reports the zone once.
    if (zoneNameOk && record.name.trim() !== '@' && record.name.trim() !== '') {
      const problem = domainNameProblem(fqdn);
      if (problem !== undefined) issue('dns-name-invalid', i, `"${record.name}" is not a valid name: ${problem}`, ['name']);
      else if (!isInZone(fqdn, zone.name)) {
        issue('dns-name-invalid', i, `"${record.name}" is outside the zone ${zone.name}`, ['name']);
      }
    }
    if (!Number.isInteger(record.ttl) || record.ttl < 0 || record.ttl > MAX_DNS_TTL) {
      issue('dns-ttl-range', i, `TTL ${record.ttl} is out of range: a TTL is a whole number of seconds from 0 to ${MAX_DNS_TTL} (RFC 2181 §8)`, ['ttl']);
    }
    if (record.type === 'CNAME' && fqdn === normalizeDomainName(zone.name)) {
      issue('dns-cname-apex', i, `a CNAME at the zone apex is not allowed: the apex has the zone's SOA and NS records, and a CNAME may not sit beside other records (RFC 1912 §2.4); use A/AAAA records at the apex`, ['type']);
    }
    record.values.forEach((value, v) => {
      const meaning = dnsValueMeaning(index, addresses, record, value);
      if (meaning.kind !== 'invalid') return;
      if (meaning.unknownNode) issue('dns-unknown-node', i, meaning.reason, ['values', v]);
      else issue('dns-value-invalid', i, meaning.reason, ['values', v]);
    });
    checkPolicy(record, (message, field, severity) => issue(severity === 'warning' ? 'dns-health-check-ignored' : 'dns-policy-values', i, message, field, severity));
  });
  for (const [fqdn, indices] of byName) {
    const types = new Map<string, number>();
    for (const i of indices) {
      const record = zone.records[i] as DnsRecord;
      const first = types.get(record.type);
      if (first !== undefined) issue('dns-record-duplicate', i, `records[${first}] already has the name ${fqdn} and type ${record.type}: put every value in one record (one set per name and type)`, ['name']);
      else types.set(record.type, i);
    }
    const cname = indices.find((i) => zone.records[i]?.type === 'CNAME');
    const others = indices.filter((i) => zone.records[i]?.type !== 'CNAME');
    if (cname !== undefined && others.length > 0) {
      issue('dns-cname-conflict', cname, `${fqdn} has a CNAME and also ${others.map((i) => zone.records[i]?.type).join(', ')} records; a name with a CNAME can have no other data (RFC 1034 §3.6.2)`, ['type']);
    }
  }
}

function checkPolicy(record: DnsRecord, problem: (message: string, field: (string | number)[], severity?: 'warning') => void): void {
  const count = record.values.length;
  if (record.weights !== undefined && record.policy !== 'weighted') problem(`weights apply only to the weighted policy, this record is ${record.policy}`, ['weights']);
  if (record.policy === 'weighted') {
    if (record.weights === undefined) problem('a weighted record needs "weights": one weight (0-255) per value', ['weights']);
    else if (record.weights.length !== count) problem(`${record.weights.length} weights for ${count} values: give one weight per value, in order`, ['weights']);
  }
  if (record.policy === 'failover' && count !== 2) problem(`failover needs exactly two values, the primary then the secondary; this record has ${count}`, ['values']);
  if (record.policy === 'multivalue' && record.type === 'CNAME') problem('multivalue answers cannot be CNAMEs (a name has one CNAME); use weighted or failover for CNAMEs', ['policy']);
  if (record.policy === 'simple' && record.type === 'CNAME' && count > 1) problem(`a simple CNAME has one value, this one has ${count} (a name has one CNAME)`, ['values']);
  if (record.policy === 'simple' && record.healthCheck !== undefined) {
    problem('health checks do not apply to simple records (Route 53 answers every value of a simple record whatever its health); use multivalue to leave unhealthy values out', ['healthCheck'], 'warning');
  }
}

function describe(zone: DnsZoneNode, record: DnsRecord): string {
  return `${dnsRecordName(zone, record)} ${record.type}`;
}
