import { writeFileSync } from 'node:fs';
import { renderNamespaceScript, replaceTable, routeChanges, routeLine } from './plan/render.js';
import type { KernelNetworkPlan, LinkEnd } from './plan/types.js';
import type { KernelSandbox } from './sandbox.js';

/** The nftables tables the design's filters own (./plan/filters.ts). */
const FILTER_TABLES = ['topolab-sg', 'topolab-acl'] as const;

/** Namespaces set up at once after the routers: a little parallelism, bounded for a 2-core machine. */
const PARALLEL_SETUP = 4;

/**
 * Carries a kernel network plan out inside a sandbox, and changes it while the lab runs
 * (route faults, link faults, rate limits). Every command runs inside the lab's own
 * namespaces; the host is never touched.
 */
export class KernelNetwork {
  private plan: KernelNetworkPlan;

  constructor(
    private readonly sandbox: KernelSandbox,
    plan: KernelNetworkPlan,
  ) {
    this.plan = plan;
  }

  /** The plan as it stands (after route faults, the new route tables). */
  current(): KernelNetworkPlan {
    return this.plan;
  }

  /** Creates every namespace, then sets up routers and the internet in order, then nodes in parallel. */
  async build(): Promise<void> {
    const scripts = this.sandbox.file('ns');
    for (const ns of this.plan.namespaces) writeFileSync(`${scripts}/${ns.name}.sh`, renderNamespaceScript(ns), { mode: 0o600 });
    const first = this.plan.namespaces.filter((n) => n.role === 'router' || n.role === 'internet').map((n) => n.name);
    const rest = this.plan.namespaces.filter((n) => n.role === 'node' || n.role === 'client').map((n) => n.name);
    const setup = (ns: string): string => `nsenter --net=/run/netns/${ns} sh -e ${scripts}/${ns}.sh || { echo "namespace ${ns}: setup failed" >&2; exit 255; }`;
    const lines = [
      "ip -batch - <<'TOPOLAB_EOF'",
      ...this.plan.namespaces.map((n) => `netns add ${n.name}`),
      'TOPOLAB_EOF',
      ...first.map(setup),
    ];
    if (rest.length > 0) {
      lines.push(`printf '%s\\n' ${rest.join(' ')} | xargs -P ${PARALLEL_SETUP} -n 1 sh -c '${setup('$0').replace(/'/g, `'\\''`)}'`);
    }
    await this.sandbox.run(`${lines.join('\n')}\n`, 'setting up the lab network');
  }

  /**
   * Swaps in a new plan whose route tables changed (a route dropped or restored): each
   * changed route is replaced in place and routes that are gone are deleted, so a lookup
   * never meets a half-empty table.
   */
  async reroute(next: KernelNetworkPlan): Promise<void> {
    const scripts = [...routeChanges(this.plan, next)].map(([ns, lines]) => `nsenter --net=/run/netns/${ns} ip -batch - <<'TOPOLAB_EOF'\n${lines.join('\n')}\nTOPOLAB_EOF`);
    if (scripts.length > 0) await this.sandbox.run(`${scripts.join('\n')}\n`, 'changing the route tables');
    this.plan = next;
  }

  /**
   * Takes the links of a design node down or up (a node's link to its subnet, a subnet's
   * bridge, a gateway's or peering's link). The kernel forgets the routes through an
   * interface that goes down, so bringing it up puts back every route of the plan through it.
   */
  async setLink(nodeId: string, up: boolean): Promise<LinkEnd[]> {
    const ends = this.linksOf(nodeId);
    const lines = ends.map((e) => {
      const routes = up ? (this.plan.namespaces.find((n) => n.name === e.ns)?.routes ?? []).filter((r) => r.dev === e.dev).map((r) => routeLine(r, 'replace')) : [];
      return `nsenter --net=/run/netns/${e.ns} ip -batch - <<'TOPOLAB_EOF'\nlink set dev ${e.dev} ${up ? 'up' : 'down'}\n${routes.join('\n')}\nTOPOLAB_EOF`;
    });
    await this.sandbox.run(`${lines.join('\n')}\n`, `${up ? 'restoring' : 'taking down'} the link of ${nodeId}`);
    return ends;
  }

  /**
   * Replaces one nftables table of a namespace in a single transaction (the way a filter's
   * changed rules reach the kernel while the lab runs), and keeps the plan in step.
   */
  async replaceTable(ns: string, family: string, name: string, table: string): Promise<void> {
    const plan = this.plan.namespaces.find((n) => n.name === ns);
    if (!plan) throw new Error(`no namespace ${ns} in the lab`);
    await this.sandbox.run(`nsenter --net=/run/netns/${ns} nft -f - <<'TOPOLAB_EOF'\n${replaceTable(family, name, table)}TOPOLAB_EOF\n`, `replacing nftables table ${name} in ${ns}`);
    plan.nftables[name] = table;
  }

  /**
   * Swaps in a plan whose filters changed (a live edit of a security group or a network
   * ACL): every filter table that differs is replaced, each in one transaction, and tables
   * that are gone are deleted, all in one run.
   */
  async refilter(next: KernelNetworkPlan): Promise<void> {
    const scripts: string[] = [];
    for (const ns of next.namespaces) {
      const before = this.plan.namespaces.find((n) => n.name === ns.name)?.nftables ?? {};
      for (const name of FILTER_TABLES) {
        const now = ns.nftables[name];
        if (now === before[name]) continue;
        const text = now === undefined ? `table inet ${name}\ndelete table inet ${name}\n` : replaceTable('inet', name, now);
        scripts.push(`nsenter --net=/run/netns/${ns.name} nft -f - <<'TOPOLAB_EOF'\n${text}TOPOLAB_EOF`);
      }
    }
    if (scripts.length > 0) await this.sandbox.run(`${scripts.join('\n')}\n`, 'changing the security groups and network ACLs');
    this.plan = next;
  }

  /** Limits every end of a node's links to `mbit` Mbit/s with a token bucket (tbf); `undefined` removes the limit. */
  async rateLimit(nodeId: string, mbit: number | undefined): Promise<LinkEnd[]> {
    const ends = this.linksOf(nodeId);
    const lines = ends.map((e) => {
      const enter = `nsenter --net=/run/netns/${e.ns} tc qdisc`;
      if (mbit === undefined) return `${enter} del dev ${e.dev} root 2>/dev/null || true`;
      // A burst of 20 ms at the rate (at least a few full frames) keeps the bucket honest at low rates.
      const burst = Math.max(16_000, Math.round((mbit * 1_000_000) / 8 / 50));
      return `${enter} replace dev ${e.dev} root tbf rate ${mbit}mbit burst ${burst} latency 100ms`;
    });
    await this.sandbox.run(lines.join('\n'), `${mbit === undefined ? 'removing the rate limit of' : 'rate-limiting'} ${nodeId}`);
    return ends;
  }

  private linksOf(nodeId: string): LinkEnd[] {
    const ends = this.plan.links[nodeId];
    if (!ends || ends.length === 0) throw new Error(`"${nodeId}" has no link in the lab: link faults act on nodes, subnets, internet gateways and peerings`);
    return ends;
  }
}
