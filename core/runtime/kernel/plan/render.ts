import { FIRST_ROUTE_TABLE } from './tables.js';
import type { KernelNetworkPlan, KernelRoute, KernelRule, NamespacePlan } from './types.js';

/**
 * Turns a namespace plan into the shell script that builds it, run inside that namespace
 * (`nsenter --net=... sh -e script`): sysctls first (so interfaces created here inherit
 * them), then one `ip -batch` for links, addresses, routes and IPv4 rules, one
 * `ip -6 -batch` for IPv6 rules, and one `nft -f` for its tables. Interface names are always
 * given after `name`/`dev`, so a name can never be read as a keyword.
 */
export function renderNamespaceScript(plan: NamespacePlan): string {
  const lines = [`# ${plan.role} ${plan.name}${plan.nodeId ? ` (${plan.nodeId})` : ''}`];
  for (const [path, value] of plan.sysctls) lines.push(`echo '${value}' > /proc/sys/${path}`);
  lines.push(...heredoc('ip -batch -', ipLines(plan)));
  const rules6 = plan.rules.filter((r) => r.family === 6).map(ruleLine);
  if (rules6.length > 0) lines.push(...heredoc('ip -6 -batch -', rules6));
  const tables = Object.values(plan.nftables);
  if (tables.length > 0) lines.push(...heredoc('nft -f -', tables.join('\n').trimEnd().split('\n')));
  return `${lines.join('\n')}\n`;
}

/** The `ip -batch` lines of a namespace, in an order the kernel accepts. */
export function ipLines(plan: NamespacePlan): string[] {
  const out: string[] = [];
  for (const bridge of plan.bridges) out.push(`link add name ${bridge} type bridge`);
  for (const veth of plan.veths) {
    out.push(`link add name ${veth.a.dev} type veth peer name ${veth.b.dev} netns ${veth.b.ns}`);
    if (veth.master) {
      out.push(`link set dev ${veth.a.dev} master ${veth.master}`);
      // Isolated ports talk only to the bridge (the router), never to each other: every
      // packet between two nodes of a subnet goes through the router and its route table.
      out.push(`link set dev ${veth.a.dev} type bridge_slave isolated on`);
    }
  }
  for (const address of plan.addresses) {
    const v6 = address.cidr.includes(':');
    out.push(`address add ${address.cidr} dev ${address.dev}${address.noPrefixRoute ? ' noprefixroute' : ''}${v6 ? ' nodad' : ''}`);
  }
  for (const dev of plan.up) out.push(`link set dev ${dev} up`);
  for (const route of plan.routes) out.push(routeLine(route));
  for (const rule of plan.rules) if (rule.family === 4) out.push(ruleLine(rule));
  return out;
}

/** One `route add` (or `route replace` for faults) line. */
export function routeLine(route: KernelRoute, verb: 'add' | 'replace' = 'add'): string {
  const parts = ['route', verb];
  if (route.type !== 'unicast') parts.push(route.type);
  parts.push(route.destination);
  if (route.via !== undefined) parts.push('via', route.via);
  if (route.dev !== undefined) parts.push('dev', route.dev);
  if (route.scopeLink) parts.push('scope', 'link');
  if (route.table !== undefined) parts.push('table', String(route.table));
  if (route.metric !== undefined) parts.push('metric', String(route.metric));
  if (route.via !== undefined) parts.push('onlink');
  return parts.join(' ');
}

function ruleLine(rule: KernelRule): string {
  const action = rule.blackhole ? 'blackhole' : `lookup ${rule.table}`;
  return `rule add iif ${rule.iif} ${action} priority ${rule.priority}`;
}

function heredoc(command: string, body: readonly string[]): string[] {
  if (body.length === 0) return [];
  return [`${command} <<'TOPOLAB_EOF'`, ...body, 'TOPOLAB_EOF'];
}

/**
 * The `ip -batch` lines that turn the design route tables of `before` into those of
 * `after`, per router namespace: every route of the new tables replaced in place (a route
 * is keyed by table, destination and metric, so `replace` swaps exactly it), then the
 * routes that are gone deleted, so a lookup never meets a half-empty table.
 */
export function routeChanges(before: KernelNetworkPlan, after: KernelNetworkPlan): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const ns of after.namespaces) {
    if (ns.role !== 'router') continue;
    const old = before.namespaces.find((n) => n.name === ns.name)?.routes.filter(isDesignTable) ?? [];
    const now = ns.routes.filter(isDesignTable);
    const keys = new Set(now.map(routeKey));
    const gone = old.filter((r) => !keys.has(routeKey(r)));
    const changed = now.filter((r) => !old.some((o) => routeLine(o) === routeLine(r)));
    const lines = [...changed.map((r) => routeLine(r, 'replace')), ...gone.map((r) => `route del ${r.destination} table ${r.table}${r.metric !== undefined ? ` metric ${r.metric}` : ''}`)];
    if (lines.length > 0) out.set(ns.name, lines);
  }
  return out;
}

function isDesignTable(route: KernelRoute): boolean {
  return route.table !== undefined && route.table >= FIRST_ROUTE_TABLE;
}

function routeKey(route: KernelRoute): string {
  return `${route.family}|${route.table}|${route.destination}|${route.metric ?? ''}`;
}

/**
 * The `nft -f` text that replaces one table of a namespace in a single transaction (a
 * filter whose rules changed while the lab runs): the table is created if missing, deleted,
 * and defined again, so no packet meets a half-built table.
 */
export function replaceTable(family: string, name: string, table: string): string {
  return `table ${family} ${name}\ndelete table ${family} ${name}\n${table.trimEnd()}\n`;
}
