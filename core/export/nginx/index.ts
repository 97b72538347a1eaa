import type { NodeKind } from '../../model/kinds/index.js';
import type { NodeOfKind, Topology, TopologyNode } from '../../model/types.js';
import { DesignView } from '../design.js';
import { commentText, NameAllocator } from '../escape.js';
import { Addressing } from '../listen.js';
import type { ExportOptions } from '../options.js';
import { reportProtocolNotes } from '../protocol-notes.js';
import { gatewayPlaceholderFiles } from '../gateway-files.js';
import { FORWARD_PROXY_ACTION, ReportBuilder, type ExportResult } from '../report.js';
import { ConfigWriter } from '../text.js';
import type { Context, NginxRenderOptions } from './context.js';
import { GUARD_MAPS, writeHttpLimits } from './guards.js';
import { writeReverseProxy } from './proxy.js';
import { writeBalancer, writeCache, writeTcpBalancer } from './servers.js';
import { DOLLAR_GEO, quote } from './syntax.js';

export type { NginxRenderOptions } from './context.js';
export { describeEndpoint } from './upstream.js';

/** Where Debian's nginx keeps its dynamic modules (`--modules-path`); the stream module ships in libnginx-mod-stream. */
export const DEBIAN_STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';

/** What one kind becomes in nginx: a server block in `http` or `stream`, or a report line. */
interface KindMapping<K extends NodeKind> {
  /** Which top-level block the node's config goes into. */
  section?(node: NodeOfKind<K>): 'http' | 'stream';
  write?(w: ConfigWriter, node: NodeOfKind<K>, ctx: Context): void;
  /** Why nginx cannot run it (a report line per node), and what to do instead. */
  notExpressible?: string;
  notExpressibleAction?: string;
}

/**
 * What each kind becomes. Typed over every kind, so the compiler names a new one. Servers
 * and groups are the upstreams of the configs; the network kinds have no nginx counterpart.
 */
const NGINX_KINDS: { readonly [K in NodeKind]: KindMapping<K> } = {
  vpc: {},
  subnet: {},
  'route-table': {},
  'security-group': {},
  'network-acl': {},
  'internet-gateway': {},
  'nat-gateway': {},
  peering: {},
  server: {},
  'autoscaling-group': {},
  client: {},
  // Names resolve elsewhere (the Terraform and BIND exports write the zones).
  'dns-zone': {},
  'load-balancer': {
    section: (node) => (node.layer === 4 ? 'stream' : 'http'),
    write: (w, node, ctx) => (node.layer === 4 ? writeTcpBalancer(w, node, ctx) : writeBalancer(w, node, ctx)),
  },
  'reverse-proxy': { section: () => 'http', write: (w, node, ctx) => writeReverseProxy(w, node, ctx) },
  cache: { section: () => 'http', write: (w, node, ctx) => writeCache(w, node, ctx) },
  'forward-proxy': { notExpressible: 'nginx open source has no forward proxy (no CONNECT, no absolute-form requests to other hosts)', notExpressibleAction: FORWARD_PROXY_ACTION },
};

const mappingOf = (node: TopologyNode): KindMapping<NodeKind> => NGINX_KINDS[node.kind] as KindMapping<NodeKind>;

/** Renders the design as one `nginx.conf`: every balancer, reverse proxy and cache. */
export function renderNginx(topology: Topology, options: ExportOptions = {}): ExportResult {
  const report = new ReportBuilder('nginx');
  const content = renderNginxConf(new DesignView(topology), options, report);
  return { files: [{ path: 'nginx.conf', content }, ...gatewayPlaceholderFiles(topology, 'nginx')], report: report.build() };
}

/** The text of an nginx.conf for the design's proxy nodes (or `options.onlyNodes`). */
export function renderNginxConf(view: DesignView, options: NginxRenderOptions, report: ReportBuilder): string {
  const selected = (node: TopologyNode): boolean => options.onlyNodes === undefined || options.onlyNodes.has(node.id);
  const proxies = view.topology.nodes.filter((node) => selected(node) && mappingOf(node).write);
  const ctx: Context = {
    view,
    options,
    report,
    names: new NameAllocator(),
    quoteState: { needsDollar: false },
    addressing: new Addressing(view, options, proxies),
    httpPrelude: [],
    needs: new Set(),
  };
  const l7 = proxies.filter((node) => mappingOf(node).section?.(node) === 'http');
  const l4 = proxies.filter((node) => mappingOf(node).section?.(node) === 'stream');

  const http = new ConfigWriter();
  http.indent();
  for (const node of l7) {
    http.blank();
    mappingOf(node).write?.(http, node, ctx);
  }
  const stream = new ConfigWriter();
  stream.indent();
  for (const node of l4) {
    stream.blank();
    mappingOf(node).write?.(stream, node, ctx);
  }
  for (const node of view.topology.nodes) {
    const reason = mappingOf(node).notExpressible;
    if (reason !== undefined && selected(node)) report.notExpressible(node.id, node.kind, reason, mappingOf(node).notExpressibleAction);
    if (selected(node)) {
      for (const name of view.dnsUpstreams(node)) {
        report.notExpressible(node.id, 'dns-upstream', `upstream ${name} is a DNS name the lab resolves per TTL; this config has no resolver for it`, 'name the nodes the name answers as the upstreams instead, or add a resolver and a variable proxy_pass');
      }
    }
  }
  if (l7.length > 0) reportProtocolNotes(report, 'nginx');
  const modules = options.nginxModules ?? (l4.length > 0 ? [DEBIAN_STREAM_MODULE] : []);
  if (l4.length > 0 && modules.length > 0) ctx.needs.add(`the stream module, loaded below from ${modules.join(', ')} (Debian/Ubuntu: package libnginx-mod-stream; where nginx is built with it, export with an empty --nginx-module list)`);
  if (l7.some((n) => n.kind === 'load-balancer' && n.algorithm === 'random-two')) ctx.needs.add('nginx 1.15.1 or later (random two)');

  const w = new ConfigWriter();
  writeHeader(w, view, ctx, modules);
  w.blank();
  w.line('worker_processes auto;');
  if (options.runDir !== undefined) {
    w.line(`pid ${quote(`${options.runDir}/nginx.pid`, false, ctx.quoteState)};`);
    w.line(`error_log ${quote(`${options.runDir}/error.log`, false, ctx.quoteState)} warn;`);
  }
  w.blank();
  w.open('events').line('worker_connections 1024;').close();
  w.blank();
  w.open('http');
  w.line('server_tokens off;');
  writeHttpLimits(w);
  if (options.runDir !== undefined) {
    const dir = options.runDir;
    w.line(`access_log ${quote(`${dir}/access.log`, false, ctx.quoteState)};`);
    for (const kind of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
      w.line(`${kind}_temp_path ${quote(`${dir}/${kind}_temp`, false, ctx.quoteState)};`);
    }
  }
  writeLines(w, [...(l7.length > 0 ? GUARD_MAPS : []), ...ctx.httpPrelude]);
  if (ctx.quoteState.needsDollar) {
    w.comment('A literal "$" for values from the design (nginx has no escape for it).');
    w.line(DOLLAR_GEO);
  }
  w.dedent();
  const httpText = http.toString();
  const out = `${w.toString()}${httpText === '\n' ? '' : `\n${httpText}`}}\n`;
  if (l4.length === 0) return out;
  return `${out}\nstream {\n${stream.toString()}}\n`;
}

/** Writes prelude lines: `# text` as comments, the rest as they are. */
function writeLines(w: ConfigWriter, lines: readonly string[]): void {
  for (const line of lines) {
    if (line.startsWith('# ')) w.comment(line.slice(2));
    else w.line(line);
  }
}

/** The header comment: what the file is, how to run it and what it needs. */
function writeHeader(w: ConfigWriter, view: DesignView, ctx: Context, modules: readonly string[]): void {
  w.comment(`nginx configuration for "${commentText(view.topology.name)}", generated by Topolab.`);
  w.comment('Re-export from the design instead of editing: the design is the source of truth.');
  w.comment('Runs with nginx as installed (Debian 12: 1.22): every path below is absolute, so');
  w.comment('`nginx -t -c FILE` and `nginx -p DIR -c FILE` read it the same way.');
  if (ctx.options.runDir === undefined) w.comment('Without --run-dir it uses nginx\'s own pid, log and temp paths (Debian: /run, /var/log/nginx, /var/lib/nginx): run it as root, or export with --run-dir.');
  for (const need of ctx.needs) w.comment(`Needs ${commentText(need)}.`);
  const listeners = ctx.addressing.loopbackListeners();
  if (!ctx.addressing.loopback) w.comment('It listens on the designed addresses: on a host that does not own them, export with --listen loopback (or --map).');
  if (ctx.addressing.loopback) {
    w.comment('Loopback mode: it listens on 127.0.0.1 in front of a running lab, each node at:');
    for (const [id, at] of listeners) w.comment(`  ${commentText(id)} -> ${at.host}:${at.port}`);
  }
  for (const module of modules) w.line(`load_module ${quote(module, false, ctx.quoteState)};`);
}
