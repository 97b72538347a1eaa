import { pickCertificateName } from '../../model/tls-hosts.js';
import { formatEndpoint } from '../options.js';
import type { ConfigWriter } from '../text.js';
import { certPaths, exportTls, type ExportTls } from '../tls.js';
import type { Context, HttpNode } from './context.js';
import { openServer } from './forward.js';
import { quote } from './syntax.js';

/** One virtual server of a node: its name (`_` for any) and what its locations are. */
export interface ServerBlock {
  serverName: string;
  body: () => void;
}

/**
 * Writes a node's server blocks: the plain ones (the designed port; with a TLS redirect, each
 * answers `return 301|308 https://$host...` instead), then, with TLS, their HTTPS twins on the
 * TLS port: a catch-all block becomes one block per certified host name (nginx picks the
 * certificate by SNI through `server_name`), the first the `default_server` whose
 * certificate a client without SNI gets, as in the lab. HSTS goes on HTTPS blocks only.
 */
export function writeServerBlocks(w: ConfigWriter, node: HttpNode, plainListen: (first: boolean) => string, blocks: readonly ServerBlock[], ctx: Context): void {
  const tls = exportTls(ctx.view.topology, node);
  blocks.forEach((block, i) => {
    if (i > 0) w.blank();
    openServer(w, node, plainListen(i === 0), block.serverName, ctx);
    if (tls?.redirect !== undefined) w.line(`return ${tls.redirect} ${redirectTarget(tls)};`);
    else block.body();
    w.close();
  });
  if (tls === undefined) return;
  const address = ctx.view.addresses.get(node.id);
  if (!address) return;
  const target = ctx.addressing.tlsListenOn(node.id, address.ip, tls.port);
  const listen = formatEndpoint(target.host, target.port);
  const named = new Set(blocks.map((b) => b.serverName).filter((n) => n !== '_'));
  const https: { serverName: string; cert: string; body: () => void }[] = [];
  for (const block of blocks) {
    if (block.serverName !== '_') {
      https.push({ serverName: block.serverName, cert: pickCertificateName(tls.hosts, block.serverName) ?? tls.hosts[0] ?? '', body: block.body });
      continue;
    }
    for (const host of tls.hosts.filter((h) => !named.has(h))) https.push({ serverName: host, cert: host, body: block.body });
  }
  // The default (no or unknown SNI) is the first host's certificate: its block goes first.
  https.sort((a, b) => Number(b.cert === tls.hosts[0]) - Number(a.cert === tls.hosts[0]));
  ctx.hsts = tls.hsts;
  https.forEach((block, i) => {
    w.blank();
    openServer(w, node, `listen ${listen} ssl${i === 0 ? ' default_server' : ''};`, block.serverName, ctx);
    const files = certPaths(ctx.options.certDir, block.cert);
    w.line(`ssl_certificate ${quote(files.cert, true, ctx.quoteState)};`);
    w.line(`ssl_certificate_key ${quote(files.key, true, ctx.quoteState)};`);
    w.line(`ssl_protocols ${tls.minVersion === 'TLSv1.3' ? 'TLSv1.3' : 'TLSv1.2 TLSv1.3'};`);
    if (tls.hsts !== undefined) w.line(`add_header Strict-Transport-Security ${quote(tls.hsts, true, ctx.quoteState)} always;`);
    block.body();
    w.close();
  });
  ctx.hsts = undefined;
  reportTls(node, tls, ctx);
}

/** `https://$host` with the TLS port when it is not 443, and the request URI. */
function redirectTarget(tls: ExportTls): string {
  return `https://$host${tls.port === 443 ? '' : `:${tls.port}`}$request_uri`;
}

function reportTls(node: HttpNode, tls: ExportTls, ctx: Context): void {
  ctx.report.expressed(node.id, 'tls', `HTTPS on port ${tls.port} (${tls.minVersion === 'TLSv1.3' ? 'TLSv1.3' : 'TLSv1.2 and TLSv1.3'}), one server block per host name so SNI picks its certificate: ${tls.hosts.join(', ')}`);
  if (tls.redirect !== undefined) ctx.report.expressed(node.id, 'tls-redirect', `plain HTTP answers ${tls.redirect} to https://, as in the lab`);
  if (tls.hsts !== undefined) ctx.report.expressed(node.id, 'hsts', `Strict-Transport-Security: ${tls.hsts} on HTTPS answers`);
  ctx.report.approximated(
    node.id,
    'tls-certificates',
    `certificates from the project's local CA (${ctx.options.certDir ?? '.topolab/certs'}): trusted only where that CA is`,
    'for production, put certificates from a public CA (or your own PKI) at the same paths, or change ssl_certificate',
  );
}
