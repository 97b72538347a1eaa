import type { TopologyNode } from '../../model/types.js';
import { formatEndpoint } from '../options.js';
import type { ConfigWriter } from '../text.js';
import { certPaths, type ExportTls } from '../tls.js';
import type { Context } from './context.js';
import { quoteLogFormat, quoteWord } from './syntax.js';

/**
 * The HTTPS `bind` of a frontend: one `crt` per host name (HAProxy picks the certificate by
 * SNI from their names; the first is the default for a client without SNI, as in the lab),
 * TLS 1.2+ (or 1.3 only), HTTP/1.1 by ALPN.
 */
export function writeTlsBind(w: ConfigWriter, node: TopologyNode, tls: ExportTls, ctx: Context): void {
  const address = ctx.view.addresses.get(node.id);
  if (!address) return;
  const target = ctx.addressing.tlsListenOn(node.id, address.ip, tls.port);
  const crts = tls.hosts.map((host) => `crt ${quoteWord(certPaths(ctx.options.certDir, host).pem)}`).join(' ');
  w.line(`bind ${formatEndpoint(target.host, target.port)} ssl ${crts} ssl-min-ver ${tls.minVersion === 'TLSv1.3' ? 'TLSv1.3' : 'TLSv1.2'} alpn http/1.1`);
  ctx.report.expressed(node.id, 'tls', `HTTPS on port ${tls.port} (${tls.minVersion === 'TLSv1.3' ? 'TLSv1.3' : 'TLSv1.2 and up'}), SNI picks among: ${tls.hosts.join(', ')}`);
  ctx.report.approximated(
    node.id,
    'tls-certificates',
    `certificates from the project's local CA (${ctx.options.certDir ?? '.topolab/certs'}, certificate and key in one .pem): trusted only where that CA is`,
    'for production, put certificates from a public CA (or your own PKI) at the same paths',
  );
}

/** The plain port's redirect to https (after the request guards, as the lab answers bad requests first) and HSTS on HTTPS answers. */
export function writeTlsPolicy(w: ConfigWriter, node: TopologyNode, tls: ExportTls, ctx: Context): void {
  if (tls.redirect !== undefined) {
    // The Host's name without its port, then the TLS port unless 443, then the request URI: the lab's Location.
    w.line(`http-request redirect location https://%[req.hdr(host),field(1,:)]${tls.port === 443 ? '' : `:${tls.port}`}%[capture.req.uri] code ${tls.redirect} unless { ssl_fc }`);
    ctx.report.expressed(node.id, 'tls-redirect', `plain HTTP answers ${tls.redirect} to https://, as in the lab`);
  }
  if (tls.hsts !== undefined) {
    w.line(`http-response set-header Strict-Transport-Security ${quoteLogFormat(tls.hsts)} if { ssl_fc }`);
    ctx.report.expressed(node.id, 'hsts', `Strict-Transport-Security: ${tls.hsts} on HTTPS answers`);
  }
}
