import type { DnsHealthChange } from '../dns/state.js';

/** The lab log line of a DNS health change: what changed, why, and what the record answers now. */
export function dnsHealthLog(change: DnsHealthChange): { level: 'info' | 'warn'; message: string; data: Record<string, string | boolean> } {
  const who = change.nodeId !== undefined ? `${change.value} (${change.nodeId})` : change.value;
  const answers = change.answering.join(', ') || 'nothing';
  const effect = change.answerChanged ? `${change.name} ${change.type} now answers ${answers}` : `${change.name} ${change.type} still answers ${answers}`;
  return {
    level: change.healthy ? 'info' : 'warn',
    message: `dns: ${who} of ${change.name} is ${change.healthy ? 'healthy' : 'unhealthy'} (${change.reason}); ${effect}`,
    data: { zone: change.zoneId, name: change.name, type: change.type, value: change.value, healthy: change.healthy, answering: change.answering.join(',') },
  };
}
