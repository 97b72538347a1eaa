/**
 * The authoritative answer to one question, as pure data: which zone answers, the rcode,
 * the answer and authority records, and which values were chosen (for metrics). No wire
 * format here; wire.ts encodes it with dns-packet.
 */
import type { Answer, SoaAnswer } from 'dns-packet';
import { isInZone, normalizeDomainName } from '../../model/dns-names.js';
import { selectValues } from './policy.js';
import { NEGATIVE_TTL, SOA_DEFAULTS, type ClientContext, type DnsRecordType, type ZoneRecordSet, type ZoneSpec } from './zone.js';

/** A CNAME chain longer than this is answered SERVFAIL (a loop, or a design error). */
export const MAX_CNAME_CHAIN = 8;

/** One question, its name already normalized. */
export interface DnsQuestion {
  name: string;
  /** The record type asked for, as dns-packet names it (`A`, `AAAA`, `TXT`, `ANY`, `UNKNOWN_99`...). */
  type: string;
}

/** One value that went into an answer: what the per-zone metrics count. */
export interface ChosenValue {
  zoneId: string;
  /** Full name of the record set. */
  name: string;
  type: DnsRecordType;
  data: string;
}

/** The outcome of one question. */
export interface AnswerResult {
  rcode: 'NOERROR' | 'NXDOMAIN' | 'REFUSED' | 'SERVFAIL';
  /** Authoritative: true whenever a lab zone answered. */
  authoritative: boolean;
  /** The zone that answered the question's own name (the first of a CNAME chain). */
  zoneId?: string;
  answers: Answer[];
  authorities: Answer[];
  chosen: ChosenValue[];
}

/** What answering needs besides the zones: the policy state (health, rotation, randomness). */
export interface AnswerContext {
  client: ClientContext;
  /** Whether value `valueIndex` of record set `recordIndex` of `zoneId` is healthy. */
  healthy: (zoneId: string, recordIndex: number, valueIndex: number) => boolean;
  /** Next rotation step of a record set (incremented per query). */
  nextRotation: (zoneId: string, recordIndex: number) => number;
  random: () => number;
  /** Which values of a record set to answer; default `selectValues` (the live policy). */
  choose?: (record: ZoneRecordSet, recordIndex: number, zone: ZoneSpec) => number[];
}

/** The zone that is authoritative for `name` for this client: the longest match, a private zone of the client's VPC before a public one. */
export function zoneFor(zones: readonly ZoneSpec[], name: string, client: ClientContext): ZoneSpec | undefined {
  let best: ZoneSpec | undefined;
  for (const zone of zones) {
    if (!isInZone(name, zone.name)) continue;
    if (zone.private && zone.private.vpcId !== client.vpcId) continue;
    if (!best || zone.name.length > best.name.length || (zone.name.length === best.name.length && zone.private && !best.private)) best = zone;
  }
  return best;
}

/** Answers one question from the zones (RFC 1034 §4.3.2, with CNAME chasing inside the lab's zones). */
export function answerQuestion(zones: readonly ZoneSpec[], question: DnsQuestion, context: AnswerContext): AnswerResult {
  const first = zoneFor(zones, question.name, context.client);
  if (!first) return { rcode: 'REFUSED', authoritative: false, answers: [], authorities: [], chosen: [] };
  const result: AnswerResult = { rcode: 'NOERROR', authoritative: true, zoneId: first.id, answers: [], authorities: [], chosen: [] };
  let zone: ZoneSpec | undefined = first;
  let name = normalizeDomainName(question.name);
  const seen = new Set<string>();
  for (let hop = 0; zone !== undefined; hop++) {
    if (hop >= MAX_CNAME_CHAIN || seen.has(name)) return { ...result, rcode: 'SERVFAIL', authorities: [] };
    seen.add(name);
    const sets = zone.records.map((record, index) => ({ record, index })).filter((s) => s.record.name === name);
    if (sets.length === 0 && name !== zone.name && !hasNamesBelow(zone, name)) {
      result.rcode = 'NXDOMAIN';
      result.authorities.push(soaOf(zone));
      return result;
    }
    const cname = sets.find((s) => s.record.type === 'CNAME');
    if (cname && question.type !== 'CNAME') {
      const target = emit(zone, cname.record, cname.index, context, result);
      if (target === undefined) return result;
      name = normalizeDomainName(target);
      // Chase only inside zones this server answers for the client; a resolver follows the rest.
      zone = zoneFor(zones, name, context.client);
      continue;
    }
    const wanted = question.type === 'ANY' ? sets : sets.filter((s) => s.record.type === question.type);
    const apex = name === zone.name ? apexRecords(zone, question.type) : [];
    if (wanted.length === 0 && apex.length === 0) {
      result.authorities.push(soaOf(zone)); // NODATA: NOERROR, no answer, the SOA for negative caching
      return result;
    }
    result.answers.push(...apex);
    for (const s of wanted) emit(zone, s.record, s.index, context, result);
    return result;
  }
  return result;
}

/** Adds the chosen values of one record set to the answer; returns the first value's data. */
function emit(zone: ZoneSpec, record: ZoneRecordSet, recordIndex: number, context: AnswerContext, result: AnswerResult): string | undefined {
  const picked = context.choose
    ? context.choose(record, recordIndex, zone)
    : selectValues(record, {
        healthy: (i) => context.healthy(zone.id, recordIndex, i),
        rotation: context.nextRotation(zone.id, recordIndex),
        random: context.random,
        ...(context.client.region !== undefined ? { clientRegion: context.client.region } : {}),
      });
  // A name has one CNAME (RFC 1034 §3.6.2): a set with several values answers the chosen one.
  const indices = record.type === 'CNAME' ? picked.slice(0, 1) : picked;
  for (const i of indices) {
    const value = record.values[i];
    if (!value) continue;
    result.answers.push(toAnswer(record, value.data));
    result.chosen.push({ zoneId: zone.id, name: record.name, type: record.type, data: value.data });
  }
  return indices.length > 0 ? record.values[indices[0] as number]?.data : undefined;
}

function toAnswer(record: ZoneRecordSet, data: string): Answer {
  // TXT text stays one string here; wire.ts splits it into 255-octet character-strings.
  if (record.type === 'TXT') return { type: 'TXT', name: record.name, ttl: record.ttl, class: 'IN', data };
  return { type: record.type, name: record.name, ttl: record.ttl, class: 'IN', data };
}

/** An empty non-terminal (`shop.example` when only `a.b.shop.example` exists) exists: NODATA, not NXDOMAIN. */
function hasNamesBelow(zone: ZoneSpec, name: string): boolean {
  return zone.records.some((r) => r.name.endsWith(`.${name}`));
}

function apexRecords(zone: ZoneSpec, type: string): Answer[] {
  const out: Answer[] = [];
  if (type === 'SOA' || type === 'ANY') out.push({ ...soaOf(zone), ttl: SOA_DEFAULTS.ttl });
  if (type === 'NS' || type === 'ANY') out.push({ type: 'NS', name: zone.name, ttl: 172_800, class: 'IN', data: SOA_DEFAULTS.mname });
  return out;
}

/** The zone's SOA, with the TTL negative answers are cached for. */
export function soaOf(zone: ZoneSpec): SoaAnswer {
  return {
    type: 'SOA',
    name: zone.name,
    ttl: NEGATIVE_TTL,
    class: 'IN',
    data: {
      mname: SOA_DEFAULTS.mname,
      rname: `hostmaster.${zone.name}`,
      serial: 1,
      refresh: SOA_DEFAULTS.refresh,
      retry: SOA_DEFAULTS.retry,
      expire: SOA_DEFAULTS.expire,
      minimum: SOA_DEFAULTS.minimum,
    },
  };
}
