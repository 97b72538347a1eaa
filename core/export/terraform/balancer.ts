import type { LoadBalancerNode } from '../../model/types.js';
import { describeNode } from '../escape.js';
import { balancerSubnets, singleZoneProblem } from '../../routing/balancer-zones.js';
import { clamp, isApiGateway, output, rname, runsAsInstance, tags, uniqueAwsName, type Context } from './context.js';
import { Block, bool, list, num, ref, str } from './hcl.js';
import { securityGroupsFor } from './security.js';
import { balancerTls, plainListenerAction, writeBalancerTls } from './tls.js';

const ALGORITHMS: Record<LoadBalancerNode['algorithm'], string> = {
  'round-robin': 'round_robin',
  'weighted-round-robin': 'round_robin',
  'least-connections': 'least_outstanding_requests',
  'source-hash': 'round_robin',
  'random-two': 'weighted_random',
};

/** `aws_lb` (application or network), its target group, listener and attachments. */
export function writeLoadBalancer(ctx: Context, lb: LoadBalancerNode): void {
  const vpc = ctx.view.index.vpcOf(lb.id);
  const subnet = ctx.view.index.subnetOf(lb.id);
  const address = ctx.view.addresses.get(lb.id);
  if (!vpc || !subnet || !address) return;
  const name = rname(ctx, lb.id);
  const tcp = lb.layer === 4;
  // An ALB spans its subnet and its tier siblings (same route table), in at least two zones.
  const subnets = balancerSubnets(ctx.view.index, ctx.view.routes, lb);
  const singleZone = tcp ? undefined : singleZoneProblem(subnets.map((s) => s.zone));
  if (singleZone !== undefined) {
    ctx.report.error(lb.id, 'zones', `application load balancer ${singleZone}: AWS refuses to create it (at least two subnets in two availability zones)`, 'add a subnet in a second zone that uses the same route table, or make it a layer 4 balancer');
  }
  const ipv6 = address.version === 6;
  const balancer = new Block('resource', ['aws_lb', name])
    .attr('name', str(uniqueAwsName(ctx, lb.id, 32)))
    .attr('internal', bool(lb.internetFacing !== true))
    .attr('load_balancer_type', str(tcp ? 'network' : 'application'))
    .attr('security_groups', securityGroupsFor(ctx, lb))
    .attr('subnets', list(subnets.map((s) => ref(`aws_subnet.${rname(ctx, s.id)}.id`))));
  if (ipv6) {
    // An IPv6 balancer answers on IPv6 only with the dual-stack address type (AWS gives it IPv4 too).
    balancer.attr('ip_address_type', str('dualstack'));
    ctx.report.approximated(lb.id, 'ipv6', `dual-stack balancer (ip_address_type = "dualstack"): AWS gives it an IPv4 address beside ${address.ip}`, 'give its subnets an IPv4 block too: AWS places a balancer only in subnets that have one');
  }
  writeTimeout(ctx, lb, balancer, tcp);
  balancer.attr('tags', tags(ctx, lb, 1));
  ctx.main.push(balancer);

  const targets = ctx.view.edgeTargets(lb.id);
  const targetPort = targetGroupPort(ctx, lb);
  for (const group of targets) {
    if (group.kind !== 'autoscaling-group' || registersAt(ctx, group.id, targetPort)) continue;
    ctx.report.error(group.id, 'target-port', `its instances listen on port ${ctx.view.groupPort(group.id) ?? 80}, but balancer ${lb.id}'s target group is on port ${targetPort}: AWS registers a group's instances at the target group's port, so the group is not attached`, `give the auto-scaling groups behind ${lb.id} one port, or put this group behind its own balancer`);
  }
  const group = new Block('resource', ['aws_lb_target_group', name])
    .attr('name', str(uniqueAwsName(ctx, `${lb.id}-tg`, 32)))
    .attr('port', num(targetPort))
    .attr('protocol', str(tcp ? 'TCP' : 'HTTP'))
    .attr('vpc_id', ref(`aws_vpc.${rname(ctx, vpc.id)}.id`))
    .attr('target_type', str('instance'));
  if (ipv6) group.attr('ip_address_type', str('ipv6'));
  if (!tcp) group.attr('load_balancing_algorithm_type', str(ALGORITHMS[lb.algorithm]));
  writeAlgorithmReport(ctx, lb, tcp);
  const hc = lb.healthCheck;
  if (hc) {
    const check = group.block('health_check').attr('enabled', bool(true));
    // An ALB target group (HTTP) takes only HTTP health checks: a TCP check becomes a GET of
    // `/` that counts any answer (200-499) as healthy, the nearest to "the port answers".
    const tcpOnAlb = !tcp && hc.type === 'tcp';
    const http = !tcp;
    check.attr('protocol', str(http ? 'HTTP' : 'TCP'));
    if (http) check.attr('path', str(tcpOnAlb ? '/' : (hc.path ?? '/'))).attr('matcher', str(tcpOnAlb ? '200-499' : (hc.expectStatus ?? '200-399')));
    if (tcpOnAlb) ctx.report.approximated(lb.id, 'health-check-type', 'the TCP health check is written as an HTTP GET / accepting 200-499: AWS application target groups check over HTTP only', 'give the check "type": "http" and a path your servers answer, or make the balancer layer 4');
    // AWS bounds: interval 5-300 s, thresholds 2-10.
    check.attr('interval', num(clamp(Math.round((hc.intervalMs ?? 30_000) / 1000), 5, 300)));
    if (hc.timeoutMs !== undefined) check.attr('timeout', num(clamp(Math.round(hc.timeoutMs / 1000), 2, 120)));
    check.attr('healthy_threshold', num(clamp(hc.rise ?? 3, 2, 10))).attr('unhealthy_threshold', num(clamp(hc.fall ?? 3, 2, 10)));
    const exact = (hc.intervalMs ?? 30_000) % 1000 === 0 && (hc.intervalMs ?? 30_000) >= 5000 && (hc.rise ?? 3) >= 2 && (hc.fall ?? 3) >= 2;
    if (exact) ctx.report.expressed(lb.id, 'health-check', 'target group health_check');
    else ctx.report.approximated(lb.id, 'health-check', 'health check interval/thresholds rounded into AWS bounds (interval 5-300 s in whole seconds, thresholds 2-10)', 'expect failover to take longer than in the lab; use values inside those bounds to have it exact');
  }
  if (lb.sticky || (lb.algorithm === 'source-hash' && tcp)) {
    const sticky = group.block('stickiness').attr('enabled', bool(true));
    if (tcp) sticky.attr('type', str('source_ip'));
    else if (lb.sticky?.cookie !== undefined) sticky.attr('type', str('app_cookie')).attr('cookie_name', str(lb.sticky.cookie));
    else sticky.attr('type', str('lb_cookie'));
    if (!tcp) sticky.attr('cookie_duration', num(clamp(lb.sticky?.ttlSeconds ?? 86_400, 1, 604_800)));
    if (lb.sticky && !tcp) ctx.report.approximated(lb.id, 'sticky', lb.sticky.cookie !== undefined ? 'app_cookie stickiness follows the named cookie, which the app must set' : 'lb_cookie stickiness: AWS pins a client with its own AWSALB cookie, not the lab\'s', lb.sticky.cookie !== undefined ? 'make the app set the cookie on its first answer' : 'nothing to do unless clients depend on the cookie name');
  }
  group.attr('tags', tags(ctx, lb, 1));
  ctx.main.push(group);
  const listener = new Block('resource', ['aws_lb_listener', name])
    .attr('load_balancer_arn', ref(`aws_lb.${name}.arn`))
    .attr('port', num(address.port))
    .attr('protocol', str(tcp ? 'TCP' : 'HTTP'));
  const tls = balancerTls(ctx, lb);
  plainListenerAction(listener, name, tls, ctx, lb);
  ctx.main.push(listener);
  if (tls !== undefined) writeBalancerTls(ctx, lb, name, tls);
  for (const target of targets) {
    if (isApiGateway(target)) {
      ctx.report.notExpressible(lb.id, 'target', `target ${target.id} is an API gateway, written as an HTTP API: a target group cannot register it, so the balancer does not send to it`, 'send clients to the API\'s endpoint or custom domain, or put the balancer behind the gateway instead');
      continue;
    }
    if (!runsAsInstance(ctx, target) || !ctx.view.index.subnetOf(target.id)) continue;
    const inGroup = target.parent !== undefined && ctx.view.index.nodeOfKind(target.parent, 'autoscaling-group');
    if (inGroup) continue;
    ctx.main.push(
      new Block('resource', ['aws_lb_target_group_attachment', `${name}_${rname(ctx, target.id)}`])
        .attr('target_group_arn', ref(`aws_lb_target_group.${name}.arn`))
        .attr('target_id', ref(`aws_instance.${rname(ctx, target.id)}.id`))
        .attr('port', num(ctx.view.addresses.get(target.id)?.port ?? targetPort)),
    );
  }
  ctx.outputs.push(output(`${name}_dns_name`, ref(`aws_lb.${name}.dns_name`), `DNS name of balancer ${describeNode(lb)}`));
  if (lb.maxBodyBytes !== undefined) ctx.report.notExpressible(lb.id, 'max-body', `maxBodyBytes ${lb.maxBodyBytes} is not written: AWS load balancers have no request body limit setting`, 'enforce the limit in the targets (e.g. client_max_body_size in nginx), or put AWS WAF in front');
}

/**
 * The port of a balancer's target group: where the balancer sends, as the lab does, to the
 * port the targets listen on (never the balancer's own). An auto-scaling group registers its
 * instances at the target group's port (AWS takes no per-instance port for a group), so the
 * first group's instance port sets it; instances attached one by one name their own port.
 */
export function targetGroupPort(ctx: Context, lb: LoadBalancerNode): number {
  const targets = ctx.view.edgeTargets(lb.id);
  const group = targets.find((t) => t.kind === 'autoscaling-group');
  if (group) return ctx.view.groupPort(group.id) ?? 80;
  return targets.map((t) => ctx.view.addresses.get(t.id)?.port).find((p) => p !== undefined) ?? 80;
}

/** Whether an auto-scaling group's instances listen on a target group's port (only then can it register). */
export function registersAt(ctx: Context, groupId: string, port: number): boolean {
  return ctx.view.groupPort(groupId) === port;
}

function writeAlgorithmReport(ctx: Context, lb: LoadBalancerNode, tcp: boolean): void {
  if (tcp) {
    ctx.report.approximated(lb.id, 'algorithm', `a network load balancer hashes each flow; ${lb.algorithm} is not selectable`, 'nothing to do for even spreading; for an exact algorithm run the HAProxy export on an instance');
    return;
  }
  switch (lb.algorithm) {
    case 'round-robin':
      ctx.report.expressed(lb.id, 'algorithm', 'round_robin');
      break;
    case 'least-connections':
      ctx.report.approximated(lb.id, 'algorithm', 'least connections as least_outstanding_requests (in-flight requests per target)', 'nothing to do: the same idea counted per request');
      break;
    case 'weighted-round-robin':
      ctx.report.notExpressible(lb.id, 'weights', 'ALB target groups have no per-target weights; round_robin is used', 'split the targets into weighted target groups of a forward action, or run the HAProxy export on an instance');
      break;
    case 'source-hash':
      ctx.report.notExpressible(lb.id, 'algorithm', 'ALB has no source-IP hash; round_robin is used', 'add stickiness to the design, or make the balancer layer 4 (an NLB hashes each flow and can stick by source IP)');
      break;
    case 'random-two':
      ctx.report.approximated(lb.id, 'algorithm', 'random two choices as weighted_random', 'nothing to do: both spread at random, weighted_random also backs off failing targets');
      break;
  }
}

/**
 * The design's `timeoutMs` (how long the balancer waits for a target's answer): an ALB's
 * `idle_timeout` (whole seconds, 1-4000) closes a connection idle that long, so a slow answer
 * is cut at about the same time; an NLB has no such setting.
 */
function writeTimeout(ctx: Context, lb: LoadBalancerNode, balancer: Block, tcp: boolean): void {
  if (lb.timeoutMs === undefined) return;
  if (tcp) {
    ctx.report.notExpressible(lb.id, 'timeout', `timeoutMs ${lb.timeoutMs} is not written: a network load balancer has no response timeout (its TCP idle timeout is 350 s)`, 'enforce the timeout in the targets, or make the balancer layer 7');
    return;
  }
  const seconds = clamp(Math.ceil(lb.timeoutMs / 1000), 1, 4000);
  balancer.attr('idle_timeout', num(seconds));
  const rounded = seconds * 1000 === lb.timeoutMs ? '' : ` (rounded up to whole seconds)`;
  ctx.report.approximated(
    lb.id,
    'timeout',
    `timeoutMs ${lb.timeoutMs} as idle_timeout = ${seconds}${rounded}: AWS closes a connection after that long without data, while the lab limits the time to the answer; a target that streams slowly is not cut`,
    'enforce a total response time in the targets if it matters',
  );
}
