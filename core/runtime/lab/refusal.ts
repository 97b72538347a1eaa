/**
 * The design's refusal of one request, as `lab.request` reports it (`SingleRequestResult.blocked`):
 * either the lab refused the first leg before sending anything, or a lab node answered 502
 * for a leg the design does not carry (`x-topolab-blocked-by`, a JSON body naming who and why).
 */
import type { RequestRefusal, SingleRequestResult } from '../../api/contract/lab-results.js';
import type { GateBlock } from '../services/types.js';
import { refusalText } from './targets.js';

/** The result of a request whose first leg the design refuses: nothing sent (status 0), the refusal named. */
export function refusedResult(block: GateBlock & { from: string; to: string }): SingleRequestResult {
  return {
    status: 0,
    headers: {},
    body: '',
    bodyBytes: 0,
    truncated: false,
    timing: { headersMs: 0, totalMs: 0 },
    servedBy: [],
    via: [],
    error: refusalText(block),
    blocked: { sent: false, from: block.from, to: block.to, blockedBy: block.blockedBy, code: block.code, reason: block.reason },
  };
}

/**
 * The refusal a response carries: a lab 502 with `x-topolab-blocked-by`, its body read for
 * who could not reach whom, the block code and trace's reason (a balancer's, proxy's or
 * cache's `BlockedBody`, or a server's failed dependency). `undefined` for any other response.
 */
export function refusalOf(result: SingleRequestResult): RequestRefusal | undefined {
  const blockedBy = result.headers['x-topolab-blocked-by'];
  if (blockedBy === undefined || result.status === 0) return undefined;
  const body = jsonObject(result.body);
  const text = (key: string): string | undefined => (typeof body[key] === 'string' ? body[key] : undefined);
  return {
    sent: true,
    from: text('from') ?? text('node') ?? result.servedBy[0] ?? '',
    to: text('to') ?? text('dependency') ?? '',
    blockedBy,
    code: text('code') ?? result.headers['x-topolab-blocked-code'] ?? 'blocked',
    reason: text('reason') ?? text('message') ?? `the design does not carry this flow (blocked by ${blockedBy})`,
  };
}

function jsonObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
