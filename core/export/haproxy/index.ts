import { HTTP_DEFAULTS, UPSTREAM_DEFAULTS } from '../../model/defaults.js';
import type { NodeKind } from '../../model/kinds/index.js';
import type { NodeOfKind, Topology, TopologyNode } from '../../model/types.js';
import { DesignView } from '../design.js';
import { commentText, describeNode, NameAllocator } from '../escape.js';
import { Addressing } from '../listen.js';
import type { ExportOptions } from '../options.js';
import { reportProtocolNotes } from '../protocol-notes.js';
import { gatewayPlaceholderFiles } from '../gateway-files.js';
import { FORWARD_PROXY_ACTION, ReportBuilder, type ExportResult } from '../report.js';
import { ConfigWriter } from '../text.js';
import { writeBalancer } from './balancer.js';
import { writeCache } from './cache.js';
import type { Context, HaproxyRenderOptions } from './context.js';
import { writeGeneratedErrors, writeGlobalForGuards } from './guards.js';
import { writeReverseProxy } from './proxy.js';
import { duration, quoteWord } from './syntax.js';

export type { HaproxyRenderOptions } from './context.js';

/** What one kind becomes in HAProxy: a frontend/backend pair, or a line saying why not. */
interface KindMapping<K extends NodeKind> {
  write?(w: ConfigWriter, node: NodeOfKind<K>, ctx: Context): void;
  /** Why HAProxy cannot run it: a comment in the config and a report line. */
  notExpressible?: { comment: string; report: string; action: string };
}

/**
 * What each kind becomes. Typed over every kind, so the compiler names a new one. Servers
 * and groups are the backends' servers; the network kinds have no HAProxy counterpart.
 */
const HAPROXY_KINDS: { readonly [K in NodeKind]: KindMapping<K> } = {
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
  'load-balancer': { write: (w, node, ctx) => writeBalancer(w, node, ctx) },
  'reverse-proxy': { write: (w, node, ctx) => writeReverseProxy(w, node, ctx) },
  cache: { write: (w, node, ctx) => writeCache(w, node, ctx) },
  'forward-proxy': {
    notExpressible: { comment: 'HAProxy is not a forward proxy: no CONNECT allow/deny lists', report: 'HAProxy has no forward-proxy mode with allow/deny lists', action: FORWARD_PROXY_ACTION },
  },
};

const mappingOf = (node: TopologyNode): KindMapping<NodeKind> => HAPROXY_KINDS[node.kind] as KindMapping<NodeKind>;

/** Renders the design as one `haproxy.cfg`: every balancer, reverse proxy and cache. */
export function renderHaproxy(topology: Topology, options: ExportOptions = {}): ExportResult {
  const report = new ReportBuilder('haproxy');
  const content = renderHaproxyCfg(new DesignView(topology), options, report);
  return { files: [{ path: 'haproxy.cfg', content }, ...gatewayPlaceholderFiles(topology, 'haproxy')], report: report.build() };
}

/** The text of a haproxy.cfg for the design's proxy nodes (or `options.onlyNodes`). */
export function renderHaproxyCfg(view: DesignView, options: HaproxyRenderOptions, report: ReportBuilder): string {
  const selected = (node: TopologyNode): boolean => options.onlyNodes === undefined || options.onlyNodes.has(node.id);
  const proxies = view.topology.nodes.filter((node) => selected(node) && mappingOf(node).write);
  const ctx: Context = { view, options, report, frontends: new NameAllocator(), backends: new NameAllocator(), addressing: new Addressing(view, options, proxies) };
  const body = new ConfigWriter('    ');
  for (const node of proxies) {
    body.blank();
    body.comment(`${node.kind} ${describeNode(node)}`);
    if (node.description) body.comment(commentText(node.description));
    if (!view.addresses.get(node.id)) {
      body.comment('not written: no designed address (no valid ip and no subnet to take one from)');
      report.notExpressible(node.id, 'address', 'no designed address: fix the node ip or its subnet, then export again', 'give the node an ip inside its subnet (topolab validate says what is wrong), then export again');
      continue;
    }
    mappingOf(node).write?.(body, node, ctx);
    for (const name of view.dnsUpstreams(node)) {
      report.notExpressible(node.id, 'dns-upstream', `upstream ${name} is a DNS name the lab resolves per TTL; this config has no resolvers section for it`, 'name the nodes the name answers as the upstreams instead');
    }
  }
  if (proxies.length === 0) {
    body.blank();
    body.comment('This design has no load balancer, reverse proxy or cache: there is nothing for HAProxy to run.');
    report.notExpressible(undefined, 'nothing-to-run', 'no load balancer, reverse proxy or cache in the design; HAProxy would refuse to start without a listener', 'add a load balancer, reverse proxy or cache to the design, or export to another format');
  }
  for (const node of view.topology.nodes) {
    const missing = mappingOf(node).notExpressible;
    if (!missing || !selected(node)) continue;
    body.blank();
    body.comment(`${node.kind} ${describeNode(node)}: not written (${missing.comment})`);
    report.notExpressible(node.id, node.kind, missing.report, missing.action);
  }

  const w = new ConfigWriter('    ');
  w.comment(`HAProxy configuration for "${commentText(view.topology.name)}", generated by Topolab.`);
  w.comment('Re-export from the design instead of editing: the design is the source of truth.');
  w.comment('Runs with HAProxy 2.6 as installed (Debian 12): `haproxy -c -f FILE`, `haproxy -f FILE -db`.');
  if (!ctx.addressing.loopback) w.comment('It listens on the designed addresses: on a host that does not own them, export with --listen loopback (or --map).');
  if (ctx.addressing.loopback) {
    w.comment('Loopback mode: it listens on 127.0.0.1 in front of a running lab, each node at:');
    for (const [id, at] of ctx.addressing.loopbackListeners()) w.comment(`  ${commentText(id)} -> ${at.host}:${at.port}`);
  }
  w.blank();
  w.line('global').indent();
  w.line('maxconn 4096');
  w.line('log stdout format raw local0');
  if (options.runDir !== undefined) w.line(`pidfile ${quoteWord(`${options.runDir}/haproxy.pid`)}`);
  writeGlobalForGuards(w);
  w.dedent().blank();
  w.line('defaults').indent();
  w.line('mode http');
  w.line('log global');
  w.line('option httplog');
  w.comment("The lab's timeouts (core/model/defaults.ts).");
  w.line(`timeout connect ${duration(UPSTREAM_DEFAULTS.connectTimeoutMs)}`);
  w.line(`timeout client ${duration(HTTP_DEFAULTS.headerTimeoutMs)}`);
  w.line(`timeout server ${duration(UPSTREAM_DEFAULTS.timeoutMs)}`);
  w.line(`timeout http-request ${duration(HTTP_DEFAULTS.headerTimeoutMs)}`);
  w.line(`timeout http-keep-alive ${duration(HTTP_DEFAULTS.keepAliveTimeoutMs)}`);
  // A failed connect is retried, on another server when the first one is down.
  w.line('retries 2');
  w.line('option redispatch');
  writeGeneratedErrors(w);
  w.dedent();
  if (proxies.some((node) => node.kind !== 'load-balancer' || node.layer !== 4)) reportProtocolNotes(report, 'haproxy');
  if (proxies.length > 0) {
    report.approximated(undefined, 'timeouts', `the header block within ${duration(HTTP_DEFAULTS.headerTimeoutMs)} (timeout http-request) and keep-alive ${duration(HTTP_DEFAULTS.keepAliveTimeoutMs)} as in the lab; a silent request body is cut after ${duration(HTTP_DEFAULTS.headerTimeoutMs)} of client inactivity (timeout client), where the lab allows ${duration(HTTP_DEFAULTS.bodyIdleTimeoutMs)} of silence and ${duration(HTTP_DEFAULTS.requestTimeoutMs)} for the whole request`, 'nothing to do for clients that send their body without pauses; raise timeout client if yours pause longer');
  }
  const rest = body.toString();
  return rest === '\n' ? w.toString() : `${w.toString()}\n${rest}`;
}
