import type { ReportBuilder } from './report.js';

/**
 * Malformed or unusual requests the real tool answers with another status than the lab,
 * before any configuration applies (its request parser decides), each proven by the
 * differential test (test/integration/export/differential.test.ts) and listed in
 * docs/export.md under "Documented differences". The feature names are the ids there.
 */
const NOTES = {
  nginx: [
    ['options-star', 'nginx answers `OPTIONS *` with 400 (its parser refuses the asterisk form); the lab answers 200 with Allow for the node itself (RFC 9110 9.3.7)'],
    ['connect', 'nginx answers CONNECT with 400 (its parser refuses the method); the lab answers 405 with Allow: both refuse it'],
    ['transfer-coding', 'nginx answers a request whose only transfer coding is not chunked (`Transfer-Encoding: gzip`) with 501; the lab answers 400 as RFC 9112 6.3 says (the body length cannot be known)'],
  ],
  haproxy: [
    ['transfer-coding', 'HAProxy answers a transfer coding other than chunked (`gzip, chunked`) with 422; the lab answers 501 (not implemented)'],
    ['content-length-with-chunked', 'HAProxy accepts Content-Length together with Transfer-Encoding: chunked and drops the Content-Length (RFC 9112 6.1 allows either); the lab refuses it with 400, as nginx does'],
    ['absolute-form-host', 'HAProxy answers 400 to an absolute-form request (`GET http://host/path`) whose Host header names another host; the lab uses the URI\'s authority and ignores the Host header (RFC 9112 3.2.2)'],
  ],
} as const;

/** Malformed requests are refused either way; only the status word differs. */
const PROTOCOL_ACTION = 'nothing to do: a well-formed client never sends it, and the request is refused or answered either way; only the status code differs';

/** Adds the target's parser-level differences to its report (once per export with an HTTP listener). */
export function reportProtocolNotes(report: ReportBuilder, target: keyof typeof NOTES): void {
  for (const [feature, detail] of NOTES[target]) report.approximated(undefined, feature, detail, PROTOCOL_ACTION);
}
