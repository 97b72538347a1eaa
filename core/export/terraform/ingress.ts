import { forwardingTargets } from '../../model/forwarding.js';
import { KIND_TRAITS } from '../../model/kinds/index.js';
import type { LoadBalancerNode, TopologyNode, VpcNode } from '../../model/types.js';
import { balancersOf, facesInternet, isApiGateway, isIpv6, rname, runsAsInstance, type Context } from './context.js';
import { Block, num, ref, str, type Expr } from './hcl.js';

/**
 * Who may connect to the instances of a tier when the design draws no security groups: the
 * exporter reads it from the edges and rules, as the lab forwards. Balancers are admitted by
 * their own group (security.ts); this module adds the rest.
 */
export interface Tier {
  vpc: VpcNode;
  lbs: LoadBalancerNode[];
  /** Reverse proxies and caches of the same VPC that forward to the members: admitted by their group. */
  senders: TopologyNode[];
  /** Forwarders in another VPC (across a peering): admitted by their designed address. */
  remote: { node: TopologyNode; cidr: string; version: 4 | 6 }[];
  /** Clients call the members' own port: from anywhere (internet-facing) or from the VPC. */
  listener?: 'internet' | 'vpc';
  /** The servers and groups that call the members (their rules: security.ts, writeDependencyRules). */
  calledBy: string[];
  members: TopologyNode[];
  ports: number[];
}

/**
 * The tiers: instances (and auto-scaling groups) of one VPC reached by the same balancers
 * and the same forwarders, with the same listener, called by the same servers (`callers`:
 * callee id -> caller ids), share a security group.
 */
export function planTiers(ctx: Context, callers: ReadonlyMap<string, ReadonlySet<string>> = new Map()): Map<string, Tier> {
  const senders = sendersByTarget(ctx);
  const tiers = new Map<string, Tier>();
  for (const node of ctx.view.topology.nodes) {
    if (!(runsAsInstance(ctx, node) || node.kind === 'autoscaling-group')) continue;
    if (node.kind === 'server' && node.parent !== undefined && ctx.view.index.nodeOfKind(node.parent, 'autoscaling-group')) continue;
    const vpc = ctx.view.index.vpcOf(node.id);
    if (!vpc) continue;
    const lbs = [...new Map(balancersOf(ctx, node.id).filter((lb) => ctx.view.addresses.get(lb.id)).map((lb) => [lb.id, lb])).values()];
    const from = senders.get(node.id) ?? [];
    const local = from.filter((s) => ctx.view.index.vpcOf(s.id)?.id === vpc.id);
    const remote = from.flatMap((s) => {
      const address = ctx.view.addresses.get(s.id);
      if (ctx.view.index.vpcOf(s.id)?.id === vpc.id || !address) return [];
      return [{ node: s, cidr: `${address.ip}/${address.version === 6 ? 128 : 32}`, version: address.version }];
    });
    // An API gateway's group is its VPC link's, which only connects out: nothing to admit.
    const listener = isApiGateway(node) ? undefined : listenerOf(node, lbs.length + from.length > 0);
    const calledBy = [...(callers.get(node.id) ?? [])].sort();
    const key = [vpc.id, lbs.map((lb) => lb.id).join(','), from.map((s) => s.id).join(','), listener ?? '', calledBy.join(',')].join('|');
    let tier = tiers.get(key);
    if (!tier) tiers.set(key, (tier = { vpc, lbs, senders: local, remote, ...(listener ? { listener } : {}), calledBy, members: [], ports: [] }));
    tier.members.push(node);
    const port = (node.kind === 'autoscaling-group' ? ctx.view.groupPort(node.id) : ctx.view.addresses.get(node.id)?.port) ?? 80;
    if (!tier.ports.includes(port)) tier.ports.push(port);
  }
  return tiers;
}

/** The tier's security group resource name: after its balancers and forwarders, else its listener, else its VPC. */
export function tierBase(ctx: Context, tier: Tier): string {
  const from = [...tier.lbs, ...tier.senders, ...tier.remote.map((r) => r.node)];
  if (from.length > 0) return `${from.map((n) => rname(ctx, n.id)).join('_')}_targets_sg`;
  if (tier.calledBy.length > 0) return `${rname(ctx, (tier.members[0] as TopologyNode).id)}_tier_sg`;
  if (tier.listener === 'internet') return `${rname(ctx, tier.vpc.id)}_internet_facing_sg`;
  if (tier.listener === 'vpc') return `${rname(ctx, tier.vpc.id)}_listeners_sg`;
  return `${rname(ctx, tier.vpc.id)}_instances_sg`;
}

/**
 * The ingress rules besides the balancers': each forwarder of the same VPC by its group,
 * each forwarder across a peering by its address, and the listener of an internet-facing
 * (anywhere) or internal (the VPC) proxy or cache, on every port of the tier.
 */
export function writeTierIngress(ctx: Context, sg: string, tier: Tier): void {
  const rule = (suffix: string, port: number, source: [string, Expr]): Block =>
    new Block('resource', ['aws_vpc_security_group_ingress_rule', `${sg}_${suffix}${tier.ports.length > 1 ? `_${port}` : ''}`])
      .attr('security_group_id', ref(`aws_security_group.${sg}.id`))
      .attr(...source)
      .attr('ip_protocol', str('tcp'))
      .attr('from_port', num(port))
      .attr('to_port', num(port));
  const members = tier.members.map((m) => m.id).join(', ');
  const ports = tier.ports.join(', ');
  for (const sender of tier.senders) {
    const source: [string, Expr] = ['referenced_security_group_id', ref(`aws_security_group.${ctx.instanceSgs.get(sender.id) ?? ''}.id`)];
    for (const port of tier.ports) ctx.main.push(rule(`from_${rname(ctx, sender.id)}`, port, source));
    ctx.report.approximated(sender.id, 'security-group', `the design draws no security groups: invented from its edges, the nodes it forwards to (${members}) admit its group on port ${ports}`, 'draw security groups in the design to choose the rules yourself');
  }
  for (const { node, cidr, version } of tier.remote) {
    for (const port of tier.ports) ctx.main.push(rule(`from_${rname(ctx, node.id)}`, port, [version === 6 ? 'cidr_ipv6' : 'cidr_ipv4', str(cidr)]));
    ctx.report.approximated(node.id, 'security-group', `the design draws no security groups: invented from its edges, ${members} across the peering admit its address ${cidr} on port ${ports}`, 'draw security groups in the design to choose the rules yourself');
  }
  if (tier.listener) {
    const source: [string, Expr] = tier.listener === 'internet' ? (isIpv6(tier.vpc) ? ['cidr_ipv6', str('::/0')] : ['cidr_ipv4', str('0.0.0.0/0')]) : vpcSource(ctx, tier.vpc);
    for (const port of tier.ports) ctx.main.push(rule('listener', port, source));
    for (const member of tier.members) {
      ctx.report.approximated(member.id, 'security-group', `the design draws no security groups: invented from its edges, its port ${ports} is open to ${tier.listener === 'internet' ? 'the internet' : 'its VPC'}`, 'draw security groups in the design to choose the rules yourself');
    }
  }
}

function vpcSource(ctx: Context, vpc: VpcNode): [string, Expr] {
  const name = rname(ctx, vpc.id);
  return isIpv6(vpc) ? ['cidr_ipv6', ref(`aws_vpc.${name}.ipv6_cidr_block`)] : ['cidr_ipv4', ref(`aws_vpc.${name}.cidr_block`)];
}

/** Node id -> the instance-running forwarders (reverse proxies, caches) that send to it, in file order. */
function sendersByTarget(ctx: Context): Map<string, TopologyNode[]> {
  const out = new Map<string, TopologyNode[]>();
  for (const node of ctx.view.topology.nodes) {
    if (!KIND_TRAITS[node.kind].forwards || !runsAsInstance(ctx, node)) continue;
    for (const target of forwardingTargets(ctx.view.index, node)) {
      const list = out.get(target) ?? [];
      if (!list.includes(node)) list.push(node);
      out.set(target, list);
    }
  }
  return out;
}

/**
 * Whether clients call the node itself: an internet-facing proxy or cache from anywhere; a
 * forward proxy, or a proxy or cache nothing forwards to, from its VPC.
 */
function listenerOf(node: TopologyNode, reached: boolean): Tier['listener'] {
  const traits = KIND_TRAITS[node.kind];
  if (facesInternet(node)) return 'internet';
  if (traits.receives === 'proxy') return 'vpc';
  if (traits.forwards && !reached) return 'vpc';
  return undefined;
}
