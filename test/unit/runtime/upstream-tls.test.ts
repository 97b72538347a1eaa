import { describe, expect, it } from 'vitest';
import { upstreamServerName } from '../../../core/model/tls-hosts.js';
import { caCertPath } from '../../../core/export/tls.js';
import { classifyUpstreamError, isUpstreamFault } from '../../../core/runtime/http/upstream-errors.js';
import { NoTlsListenerError, tlsFailureReason, UpstreamTlsError, UpstreamTlsLog } from '../../../core/runtime/http/upstream-tls.js';

const err = (code: string, message = code): Error => Object.assign(new Error(message), { code });

describe('tlsFailureReason', () => {
  it.each([
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate', /not signed by the project's CA \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain', /not signed by the project's CA/],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', /not signed by the project's CA/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames", /does not name app\.internal/],
    ['CERT_HAS_EXPIRED', 'certificate has expired', /has expired/],
    ['CERT_NOT_YET_VALID', 'certificate is not yet valid', /not valid yet/],
    ['ECONNRESET', 'Client network socket disconnected before secure TLS connection was established', /closed the connection during the handshake/],
    ['EPROTO', 'write EPROTO 80:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl3_record.c:350:', /does not speak TLS 1\.2\+ on its TLS port \(EPROTO: wrong version number\)/],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number', /does not speak TLS 1\.2\+ on its TLS port \(ERR_SSL_WRONG_VERSION_NUMBER\)/],
    ['EWHATEVER', 'something odd', /^EWHATEVER: something odd$/],
  ])('%s', (code, message, reason) => {
    expect(tlsFailureReason(err(code, message), 'app.internal').reason).toMatch(reason);
  });
});

describe('TLS failures as upstream failures', () => {
  it('a failed handshake and a missing listener are connect failures of the upstream (502, retried, ejected)', () => {
    for (const error of [new UpstreamTlsError('its certificate is not signed by the project\'s CA (X)', 'X'), new NoTlsListenerError('app1')]) {
      const failure = classifyUpstreamError(error);
      expect(failure).toMatchObject({ kind: 'connect', status: 502 });
      expect(failure.message).toBe(error.message);
      expect(isUpstreamFault(failure)).toBe(true);
    }
  });

  it('logs a TLS failure once per upstream every 5 s, and nothing else', () => {
    const log = new UpstreamTlsLog();
    const tlsFailure = { code: 'TOPOLAB_UPSTREAM_TLS', message: 'TLS handshake with the upstream failed: x' };
    expect(log.line('a', tlsFailure, 1000)).toBe('HTTPS to upstream a failed: TLS handshake with the upstream failed: x');
    expect(log.line('a', tlsFailure, 5999)).toBeUndefined();
    expect(log.line('b', tlsFailure, 5999)).toBeDefined();
    expect(log.line('a', tlsFailure, 6000)).toBeDefined();
    expect(log.line('c', { code: 'ECONNREFUSED', message: 'refused' }, 0)).toBeUndefined();
  });
});

describe('the name sent to an upstream', () => {
  it('is its first exact name, or its id under its first wildcard', () => {
    expect(upstreamServerName(['*.shop.example', 'api.example'], 'gw')).toBe('api.example');
    expect(upstreamServerName(['*.shop.example'], 'Gw_1')).toBe('gw-1.shop.example');
    expect(upstreamServerName([], 'gw')).toBeUndefined();
  });

  it('is verified against the CA beside the certificate folder', () => {
    expect(caCertPath('/srv/shop/.topolab/certs')).toBe('/srv/shop/.topolab/ca/topolab-ca.crt');
    expect(caCertPath('/srv/shop/.topolab/certs/')).toBe('/srv/shop/.topolab/ca/topolab-ca.crt');
    expect(caCertPath(undefined)).toBe('.topolab/ca/topolab-ca.crt');
  });
});
