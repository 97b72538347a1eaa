import { answeringNodes, TopologyIndex, type Topology } from '../../core/model/index.js';
import type { MethodOutput } from '../../core/api/contract/index.js';
import type { SingleRequestResult } from './types.js';

/** The designed trace (`trace` method). */
export type TraceResult = MethodOutput<'trace'>;

/**
 * What the design says should answer a request sent to `to`: the serving nodes at the end
 * of its forwarding chain, as the lab plans the upstreams (core/model/forwarding.ts).
 */
export function expectedServers(doc: Topology, to: string): string[] {
  return answeringNodes(new TopologyIndex(doc), to);
}

/** Whether an observed server id (maybe an instance `asg#2`) is one of the expected nodes. */
export function servedByExpected(expected: readonly string[], servedBy: string): boolean {
  return expected.some((id) => servedBy === id || servedBy.startsWith(`${id}#`));
}

/** What the response shows about the way it took. */
export interface ObservedPath {
  status: number;
  /** The origin that answered (`x-served-by`, first entry). */
  servedBy?: string;
  via: string[];
  cache?: string;
  /** X-Forwarded-For as the origin received it (from the built-in server's echo). */
  forwardedFor?: string;
  /** A routing refusal inside the lab (`x-topolab-blocked-by`). */
  blockedBy?: string;
  totalMs: number;
  headersMs: number;
  error?: string;
}

/** Reads the observed path from a `lab.request` answer: headers, and the echo body of the built-in server. */
export function observedPath(result: SingleRequestResult): ObservedPath {
  const headers = result.headers;
  let forwardedFor: string | undefined;
  try {
    const body = JSON.parse(result.body) as { headers?: Record<string, string> };
    forwardedFor = body.headers?.['x-forwarded-for'];
  } catch {
    // Not the built-in server's JSON (a user command, a cache 304, an error page).
  }
  return {
    status: result.status,
    ...(result.servedBy[0] ? { servedBy: result.servedBy[0] } : {}),
    via: result.via,
    ...(headers['x-cache'] ? { cache: headers['x-cache'] } : {}),
    ...(forwardedFor ? { forwardedFor } : {}),
    ...(headers['x-topolab-blocked-by'] ? { blockedBy: headers['x-topolab-blocked-by'] } : {}),
    totalMs: result.timing.totalMs,
    headersMs: result.timing.headersMs,
    ...(result.error ? { error: result.error } : {}),
  };
}

/**
 * The path the response shows, as hops: the client, each proxy in its `Via` header (a
 * response collects them origin side first, so they are read backwards), then the
 * server that answered. Pure.
 */
export function observedChain(from: string | undefined, observed: ObservedPath): string[] {
  const proxies = observed.via.map((entry) => entry.trim().split(/\s+/)[1] ?? entry.trim()).reverse();
  const chain = [from || 'outside the design', ...proxies];
  if (observed.servedBy && chain.at(-1) !== observed.servedBy) chain.push(observed.servedBy);
  return chain;
}

/** Where prediction and observation disagree. */
export interface Finding {
  severity: 'warning' | 'info';
  message: string;
  /** `address`: about the addresses the lab can show, not the path (the path may still agree). */
  about?: 'address';
}

/**
 * Compares the design's prediction (the network trace of the client's flow and the servers
 * the forwarding edges lead to) with what the request observed. Pure.
 */
export function compareWithPrediction(prediction: { trace?: TraceResult; expected: readonly string[]; to: string }, observed: ObservedPath): Finding[] {
  const findings: Finding[] = [];
  const answered = observed.status >= 200 && observed.status < 400;
  const blocked = prediction.trace?.verdict === 'blocked';
  if (blocked && answered) {
    findings.push({ severity: 'warning', message: `The design says this flow is blocked by ${prediction.trace?.blockedBy?.nodeId ?? 'routing'}, but the request was answered ${observed.status}.` });
  }
  if (!blocked && prediction.trace && observed.blockedBy) {
    findings.push({ severity: 'warning', message: `The trace to ${prediction.to} is reachable, but inside the lab ${observed.blockedBy} blocked an upstream connection (502).` });
  }
  if (!blocked && prediction.trace && !answered && !observed.blockedBy) {
    const what = observed.status === 0 ? `no response (${observed.error ?? 'error'})` : `status ${observed.status}`;
    findings.push({ severity: 'warning', message: `The design predicts ${prediction.to} is reachable, but the request got ${what}.` });
  }
  if (observed.servedBy && prediction.expected.length > 0 && !servedByExpected(prediction.expected, observed.servedBy)) {
    findings.push({ severity: 'warning', message: `Answered by ${observed.servedBy}, which the design does not put behind ${prediction.to} (expected one of ${prediction.expected.join(', ')}).` });
  }
  if (answered && !observed.servedBy && prediction.expected.length > 0) {
    findings.push({ severity: 'info', message: 'The response names no server (no x-served-by): the path cannot be checked.' });
  }
  const designed = prediction.trace ? designedSource(prediction.trace) : undefined;
  const seen = observed.forwardedFor?.split(',')[0]?.trim();
  if (designed && seen && seen !== designed.address) {
    findings.push({
      severity: 'info',
      about: 'address',
      message: `X-Forwarded-For is ${seen}, not ${designed.nodeId}'s designed ${designed.address}: the lab runs every node on this machine's loopback, so requests leave from ${seen}; the routing checks use the designed address.`,
    });
  }
  return findings;
}

/** The designed address a trace starts from (its first hop: the client), without the port. */
export function designedSource(trace: TraceResult): { nodeId: string; address: string } | undefined {
  const first = trace.hops[0];
  if (first?.kind !== 'node' || !first.nodeId || !first.address) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(first.address);
  const address = bracketed ? bracketed[1] : first.address.split(':').length === 2 ? first.address.split(':')[0] : first.address;
  return address ? { nodeId: first.nodeId, address } : undefined;
}
