/**
 * The parser boundary of the DNS server: a datagram or TCP message in, a checked query (or
 * the reason to answer FORMERR / NOTIMP, or to drop) out; an answer out as wire bytes, with
 * EDNS and truncation. Decoding and encoding are dns-packet's; this module only adds the
 * checks an authoritative server needs on top (RFC 1035 §4.1, RFC 6891, RFC 7871).
 */
import dnsPacket, { type Answer, type DecodedPacket, type OptAnswer } from 'dns-packet';
import { normalizeDomainName } from '../../model/dns-names.js';
import type { AnswerResult } from '../../routing/dns/answer.js';

/** The largest query accepted; anything larger is dropped unread (queries are tens of bytes). */
export const MAX_QUERY_BYTES = 4096;
/** The UDP payload size this server advertises and never exceeds (the DNS Flag Day 2020 value). */
export const SERVER_UDP_PAYLOAD = 1232;
/** A UDP answer to a query without EDNS is at most 512 bytes (RFC 1035 §4.2.1). */
export const CLASSIC_UDP_PAYLOAD = 512;

const FLAG_AA = 0x0400;
const FLAG_TC = 0x0200;
const FLAG_RD = 0x0100;
const RCODES = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
/** BADVERS is extended rcode 16: upper bits 1 in the OPT record, lower bits 0 in the header. */
const BADVERS_UPPER = 1;

/** The rcodes this server sends. */
export type Rcode = keyof typeof RCODES | 'BADVERS';

/** EDNS data of a query. */
export interface EdnsInfo {
  udpPayloadSize: number;
  /** The client subnet (RFC 7871) the query carried, as an address. */
  clientSubnet?: { address: string; prefix: number };
}

/** A query the server can answer. */
export interface ParsedQuery {
  id: number;
  recursionDesired: boolean;
  question: { name: string; type: string; class: string };
  edns?: EdnsInfo;
}

/** What to do with a message that is not an answerable query: reply with an rcode, or drop it. */
export type QueryRejection = { action: 'reply'; rcode: Rcode; id: number; reason: string; edns?: EdnsInfo; question?: ParsedQuery['question']; recursionDesired?: boolean } | { action: 'drop'; reason: string };

/** Thrown by `parseQuery`. */
export class DnsQueryError extends Error {
  constructor(readonly rejection: QueryRejection) {
    super(rejection.reason);
    this.name = 'DnsQueryError';
  }
}

/** Parses a query; returns the query or what to do instead. Never throws. */
export function safeParseQuery(message: Buffer): { ok: true; query: ParsedQuery } | { ok: false; rejection: QueryRejection } {
  if (message.length < 12) return { ok: false, rejection: { action: 'drop', reason: `message of ${message.length} bytes is shorter than a DNS header` } };
  if (message.length > MAX_QUERY_BYTES) return { ok: false, rejection: { action: 'drop', reason: `query of ${message.length} bytes is over the ${MAX_QUERY_BYTES}-byte limit` } };
  const id = message.readUInt16BE(0);
  const flags = message.readUInt16BE(2);
  // Never answer a response: two servers could otherwise bounce packets forever.
  if (flags & 0x8000) return { ok: false, rejection: { action: 'drop', reason: 'the message is a response, not a query' } };
  const recursionDesired = (flags & FLAG_RD) !== 0;
  const formerr = (reason: string): { ok: false; rejection: QueryRejection } => ({ ok: false, rejection: { action: 'reply', rcode: 'FORMERR', id, reason, recursionDesired } });
  let packet: DecodedPacket;
  try {
    packet = dnsPacket.decode(message);
  } catch (error) {
    return formerr(`cannot decode the message: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (dnsPacket.decode.bytes !== message.length) return formerr(`${message.length - dnsPacket.decode.bytes} bytes after the last record`);
  const opcode = (flags >> 11) & 0xf;
  if (opcode !== 0) return { ok: false, rejection: { action: 'reply', rcode: 'NOTIMP', id, reason: `opcode ${opcode} is not supported (only QUERY)`, recursionDesired } };
  const questions = packet.questions ?? [];
  if (questions.length !== 1) return formerr(`a query carries exactly one question, this one has ${questions.length}`);
  const q = questions[0] as { name: string; type: string; class?: string };
  const question = { name: normalizeDomainName(q.name === '.' ? '' : q.name), type: q.type, class: q.class ?? 'IN' };
  const opts = (packet.additionals ?? []).filter((a): a is OptAnswer => a.type === 'OPT');
  if (opts.length > 1) return formerr('more than one OPT record (RFC 6891 §6.1.1)');
  let edns: EdnsInfo | undefined;
  const opt = opts[0];
  if (opt) {
    if (opt.name !== '.') return formerr('the OPT record must be owned by the root');
    edns = { udpPayloadSize: Math.max(CLASSIC_UDP_PAYLOAD, opt.udpPayloadSize) };
    const subnet = clientSubnetOf(opt);
    if (subnet === 'invalid') return formerr('malformed EDNS client subnet option (RFC 7871 §7.1)');
    if (subnet) edns.clientSubnet = subnet;
    if (opt.ednsVersion > 0) return { ok: false, rejection: { action: 'reply', rcode: 'BADVERS', id, reason: `EDNS version ${opt.ednsVersion} is not supported`, edns, question, recursionDesired } };
  }
  return { ok: true, query: { id, recursionDesired, question, ...(edns ? { edns } : {}) } };
}

/** Like `safeParseQuery`, but throws `DnsQueryError`. */
export function parseQuery(message: Buffer): ParsedQuery {
  const result = safeParseQuery(message);
  if (!result.ok) throw new DnsQueryError(result.rejection);
  return result.query;
}

function clientSubnetOf(opt: OptAnswer): { address: string; prefix: number } | 'invalid' | undefined {
  const option = (opt.options ?? []).find((o) => o.code === 8) as { family?: number; sourcePrefixLength?: number; ip?: string; data?: Buffer } | undefined;
  if (!option) return undefined;
  const family = option.family;
  const prefix = option.sourcePrefixLength ?? -1;
  const bits = family === 1 ? 32 : family === 2 ? 128 : 0;
  if (bits === 0 || prefix < 0 || prefix > bits || option.ip === undefined) return 'invalid';
  // The address part is exactly ceil(prefix/8) octets long.
  if (option.data !== undefined && option.data.length !== 4 + Math.ceil(prefix / 8)) return 'invalid';
  return { address: option.ip, prefix };
}

/** What an answer is encoded from. */
export interface ResponseParts {
  id: number;
  rcode: Rcode;
  authoritative: boolean;
  recursionDesired: boolean;
  question?: ParsedQuery['question'];
  answers: Answer[];
  authorities: Answer[];
  /** Present when the query had EDNS: the answer carries an OPT record too. */
  edns?: EdnsInfo;
}

/** The parts of the answer to a parsed query. */
export function responseParts(query: ParsedQuery, result: AnswerResult): ResponseParts {
  return {
    id: query.id,
    rcode: result.rcode,
    authoritative: result.authoritative,
    recursionDesired: query.recursionDesired,
    question: query.question,
    answers: result.answers,
    authorities: result.authorities,
    ...(query.edns ? { edns: query.edns } : {}),
  };
}

/** The parts of the reply to a rejected message (FORMERR, NOTIMP, BADVERS). */
export function rejectionParts(rejection: Extract<QueryRejection, { action: 'reply' }>): ResponseParts {
  return {
    id: rejection.id,
    rcode: rejection.rcode,
    authoritative: false,
    recursionDesired: rejection.recursionDesired ?? false,
    ...(rejection.question ? { question: rejection.question } : {}),
    answers: [],
    authorities: [],
    ...(rejection.edns ? { edns: rejection.edns } : {}),
  };
}

/**
 * Encodes a response of at most `limit` bytes. One that does not fit is sent with the TC
 * bit and no records but the question and OPT, so the client asks again over TCP
 * (RFC 1035 §4.2.1, RFC 2181 §9: a partial RRset must not be used, so none is sent).
 */
export function encodeResponse(parts: ResponseParts, limit: number): { bytes: Buffer; truncated: boolean } {
  const full = encodeParts(parts, false);
  if (full.length <= limit) return { bytes: full, truncated: false };
  return { bytes: encodeParts({ ...parts, answers: [], authorities: [] }, true), truncated: true };
}

/** The largest UDP answer for a query: 512 without EDNS, else the client's size capped at ours. */
export function udpLimit(edns: EdnsInfo | undefined): number {
  return edns ? Math.min(SERVER_UDP_PAYLOAD, Math.max(CLASSIC_UDP_PAYLOAD, edns.udpPayloadSize)) : CLASSIC_UDP_PAYLOAD;
}

function encodeParts(parts: ResponseParts, truncated: boolean): Buffer {
  const rcode = parts.rcode === 'BADVERS' ? 0 : RCODES[parts.rcode];
  const flags = rcode | (parts.authoritative ? FLAG_AA : 0) | (truncated ? FLAG_TC : 0) | (parts.recursionDesired ? FLAG_RD : 0);
  const additionals: Answer[] = [];
  if (parts.edns) {
    additionals.push({
      type: 'OPT',
      name: '.',
      udpPayloadSize: SERVER_UDP_PAYLOAD,
      extendedRcode: parts.rcode === 'BADVERS' ? BADVERS_UPPER : 0,
      ednsVersion: 0,
      flags: 0,
      flag_do: false,
      options: [],
    });
  }
  return dnsPacket.encode({
    type: 'response',
    id: parts.id,
    flags,
    questions: parts.question ? [{ name: parts.question.name === '' ? '.' : parts.question.name, type: parts.question.type as 'A', class: parts.question.class as 'IN' }] : [],
    answers: parts.answers.map(splitTxt),
    authorities: parts.authorities,
    additionals,
  });
}

/** A TXT string holds at most 255 octets; longer texts become several strings (RFC 1035 §3.3.14). */
function splitTxt(answer: Answer): Answer {
  if (answer.type !== 'TXT' || typeof answer.data !== 'string') return answer;
  const bytes = Buffer.from(answer.data, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 255) parts.push(bytes.subarray(i, i + 255));
  return { ...answer, data: parts.length > 0 ? parts : [Buffer.alloc(0)] };
}
