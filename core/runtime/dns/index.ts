/**
 * The lab's DNS: an authoritative server for the design's zones with Route 53's routing
 * policies, health checks of record values, and a caching stub resolver for lab clients.
 */
export * from '../../routing/dns/zone.js';
export { selectValues, MULTIVALUE_LIMIT } from '../../routing/dns/policy.js';
export { answerQuestion, zoneFor, type AnswerResult, type DnsQuestion, type ChosenValue } from '../../routing/dns/answer.js';
export { safeParseQuery, parseQuery, DnsQueryError, MAX_QUERY_BYTES, SERVER_UDP_PAYLOAD, type ParsedQuery } from './wire.js';
export { DnsState, type DnsZoneMetrics, type DnsHealthChange } from './state.js';
export { DnsServer, type DnsServerCounters, type DnsServerLimits } from './server.js';
export { DnsHealthMonitor, type CheckEndpoint } from './health.js';
export { StubResolver, DnsLookupError, type StubAnswer } from './stub.js';
export { DnsService, type DnsServiceOptions, type DnsMetrics } from './service.js';
