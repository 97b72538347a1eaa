/**
 * HTTPS to upstreams (`tls.upstream`): a forwarder connects to each upstream's own TLS
 * listener, verifies its certificate against the project's CA only (per connector, never
 * process-wide trust: no `NODE_EXTRA_CA_CERTS`, no global agent), sends the upstream's host
 * name as SNI and checks the certificate names it. A failure names its cause precisely, so
 * the 502, the passive-ejection reason and the lab's log say why.
 */
import type { Socket } from 'node:net';
import { buildConnector } from 'undici';
import type { Endpoint, UpstreamTarget } from '../services/types.js';

/** How a forwarder reaches its upstreams over TLS: the CA it trusts (PEM), nothing else. */
export interface UpstreamTlsOptions {
  ca: string;
}

/** The TLS side of one target: its HTTPS listener and the name to send and verify. */
export interface TargetTls {
  endpoint: Endpoint;
  servername: string;
}

/** The upstream runs no HTTPS listener, so a TLS connection cannot even be tried (counts against the upstream). */
export class NoTlsListenerError extends Error {
  readonly code = 'TOPOLAB_NO_TLS_LISTENER';
  constructor(nodeId: string) {
    super(`${nodeId} has no HTTPS listener to connect to (tls.upstream needs a "tls" block on the upstream)`);
  }
}

/** The TLS handshake with the upstream failed (nothing was sent): the reason in words, the cause's code kept. */
export class UpstreamTlsError extends Error {
  readonly code = 'TOPOLAB_UPSTREAM_TLS';
  constructor(
    readonly reason: string,
    readonly causeCode: string,
  ) {
    super(`TLS handshake with the upstream failed: ${reason}`);
  }
}

/** TCP-level connect failures keep their own codes (refused, unreachable, timed out): they are not TLS's. */
const TCP_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

const UNTRUSTED = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_SIGNATURE_FAILURE', 'CERT_UNTRUSTED', 'CERT_REJECTED']);

/** Why a handshake failed, in words (`servername`: the name the certificate had to carry). */
export function tlsFailureReason(err: unknown, servername: string): { reason: string; code: string } {
  const error = err as { code?: string; message?: string };
  const code = error.code ?? 'UNKNOWN';
  const message = error.message ?? String(err);
  if (UNTRUSTED.has(code)) return { code, reason: `its certificate is not signed by the project's CA (${code})` };
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return { code, reason: `its certificate does not name ${servername} (${message})` };
  if (code === 'CERT_HAS_EXPIRED') return { code, reason: `its certificate has expired (${code})` };
  if (code === 'CERT_NOT_YET_VALID') return { code, reason: `its certificate is not valid yet (${code})` };
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket disconnected before secure TLS connection/i.test(message)) {
    return { code, reason: `it closed the connection during the handshake (${code})` };
  }
  if (code.startsWith('ERR_SSL_') || code === 'EPROTO') {
    // OpenSSL's own words ("wrong version number" for plain HTTP) say more than EPROTO.
    const detail = /SSL routines:[^:]*:([^:]+):/.exec(message)?.[1];
    return { code, reason: `it does not speak TLS 1.2+ on its TLS port (${detail !== undefined ? `${code}: ${detail}` : code})` };
  }
  return { code, reason: `${code}: ${message}` };
}

/** The target's TLS listener and SNI name, or `NoTlsListenerError` when it has none. */
export function targetTls(target: UpstreamTarget): TargetTls {
  if (target.tls === undefined) throw new NoTlsListenerError(target.nodeId);
  return target.tls;
}

type Connector = buildConnector.connector;

/**
 * undici's own connector with this CA, this SNI name and TLS 1.2+, whose handshake
 * failures become `UpstreamTlsError`s (TCP-level failures pass through unchanged, so a
 * refused connection still reads as one).
 */
export function upstreamTlsConnector(options: UpstreamTlsOptions, servername: string, connectTimeoutMs: number): Connector {
  const connect = buildConnector({ ca: [options.ca], servername, minVersion: 'TLSv1.2', rejectUnauthorized: true, timeout: connectTimeoutMs });
  return (opts, callback) =>
    connect({ ...opts, servername }, (err: Error | null, socket: Socket | null) => {
      if (err === null) {
        callback(null, socket as Socket);
        return;
      }
      const code = (err as { code?: string }).code ?? '';
      if (TCP_CODES.has(code)) {
        callback(err, null);
        return;
      }
      const { reason, code: causeCode } = tlsFailureReason(err, servername);
      callback(new UpstreamTlsError(reason, causeCode), null);
    });
}

/**
 * Which TLS failures towards upstreams get a log line: a handshake that failed or a missing
 * listener is a design or certificate problem worth saying, at most once per target every 5 s
 * (a load run must not flood the log).
 */
export class UpstreamTlsLog {
  private readonly last = new Map<string, number>();

  /** The line to log for this failure now, or undefined (not a TLS failure, or said recently). */
  line(targetId: string, failure: { code: string; message: string }, now = Date.now()): string | undefined {
    if (failure.code !== 'TOPOLAB_UPSTREAM_TLS' && failure.code !== 'TOPOLAB_NO_TLS_LISTENER') return undefined;
    if (now - (this.last.get(targetId) ?? -Infinity) < 5000) return undefined;
    this.last.set(targetId, now);
    return `HTTPS to upstream ${targetId} failed: ${failure.message}`;
  }
}
