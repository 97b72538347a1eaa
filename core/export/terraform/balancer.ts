import type { LoadBalancerNode } from '../../model/types.js';
import { describeNode } from '../escape.js';
import { clamp, output, rname, runsAsInstance, tags, uniqueAwsName, type Context } from './context.js';
import { Block, bool, list, num, ref, str } from './hcl.js';
import { securityGroupsFor } from './security.js';

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
  // An ALB spans at least two zones: take the balancer's subnet and its tier siblings (same route table).
  const tableOf = (id: string) => ctx.view.routes.forSubnet(id)?.table;
  const table = tableOf(subnet.id);
  const subnets = ctx.view.index.ofKind('subnet').filter((s) => s.id === subnet.id || (table !== undefined && tableOf(s.id) === table));
  if (!tcp && new Set(subnets.map((s) => s.zone ?? '')).size < 2) {
    ctx.report.approximated(lb.id, 'zones', 'an application load balancer needs subnets in two zones; add a second subnet of the same tier');
  }
  const balancer = new Block('resource', ['aws_lb', name])
    .attr('name', str(uniqueAwsName(ctx, lb.id, 32)))
    .attr('internal', bool(lb.internetFacing !== true))
    .attr('load_balancer_type', str(tcp ? 'network' : 'application'))
    .attr('security_groups', securityGroupsFor(ctx, lb))
    .attr('subnets', list(subnets.map((s) => ref(`aws_subnet.${rname(ctx, s.id)}.id`))));
  if (lb.timeoutMs !== undefined && !tcp) balancer.attr('idle_timeout', num(Math.max(1, Math.ceil(lb.timeoutMs / 1000))));
  balancer.attr('tags', tags(ctx, lb, 1));
  ctx.main.push(balancer);

  const targets = ctx.view.edgeTargets(lb.id);
  const targetPort = targets.map((t) => (t.kind === 'autoscaling-group' ? (t.template?.port ?? 80) : ctx.view.addresses.get(t.id)?.port)).find((p) => p !== undefined) ?? 80;
  const group = new Block('resource', ['aws_lb_target_group', name])
    .attr('name', str(uniqueAwsName(ctx, `${lb.id}-tg`, 32)))
    .attr('port', num(targetPort))
    .attr('protocol', str(tcp ? 'TCP' : 'HTTP'))
    .attr('vpc_id', ref(`aws_vpc.${rname(ctx, vpc.id)}.id`))
    .attr('target_type', str('instance'));
  if (!tcp) group.attr('load_balancing_algorithm_type', str(ALGORITHMS[lb.algorithm]));
  writeAlgorithmReport(ctx, lb, tcp);
  const hc = lb.healthCheck;
  if (hc) {
    const check = group.block('health_check').attr('enabled', bool(true));
    const http = !tcp && hc.type !== 'tcp';
    check.attr('protocol', str(http ? 'HTTP' : 'TCP'));
    if (http) check.attr('path', str(hc.path ?? '/')).attr('matcher', str(hc.expectStatus ?? '200-399'));
    // AWS bounds: interval 5-300 s, thresholds 2-10.
    check.attr('interval', num(clamp(Math.round((hc.intervalMs ?? 30_000) / 1000), 5, 300)));
    if (hc.timeoutMs !== undefined) check.attr('timeout', num(clamp(Math.round(hc.timeoutMs / 1000), 2, 120)));
    check.attr('healthy_threshold', num(clamp(hc.rise ?? 3, 2, 10))).attr('unhealthy_threshold', num(clamp(hc.fall ?? 3, 2, 10)));
    const exact = (hc.intervalMs ?? 30_000) % 1000 === 0 && (hc.intervalMs ?? 30_000) >= 5000 && (hc.rise ?? 3) >= 2 && (hc.fall ?? 3) >= 2;
    if (exact) ctx.report.expressed(lb.id, 'health-check', 'target group health_check');
    else ctx.report.approximated(lb.id, 'health-check', 'health check interval/thresholds rounded into AWS bounds (interval >= 5 s, thresholds >= 2)');
  }
  if (lb.sticky || (lb.algorithm === 'source-hash' && tcp)) {
    const sticky = group.block('stickiness').attr('enabled', bool(true));
    if (tcp) sticky.attr('type', str('source_ip'));
    else if (lb.sticky?.cookie !== undefined) sticky.attr('type', str('app_cookie')).attr('cookie_name', str(lb.sticky.cookie));
    else sticky.attr('type', str('lb_cookie'));
    if (!tcp) sticky.attr('cookie_duration', num(clamp(lb.sticky?.ttlSeconds ?? 86_400, 1, 604_800)));
    if (lb.sticky && !tcp) ctx.report.approximated(lb.id, 'sticky', lb.sticky.cookie !== undefined ? 'app_cookie stickiness follows the named cookie, which the app must set' : 'lb_cookie stickiness (AWSALB cookie)');
  }
  group.attr('tags', tags(ctx, lb, 1));
  ctx.main.push(group);
  const listener = new Block('resource', ['aws_lb_listener', name])
    .attr('load_balancer_arn', ref(`aws_lb.${name}.arn`))
    .attr('port', num(address.port))
    .attr('protocol', str(tcp ? 'TCP' : 'HTTP'));
  listener.block('default_action').attr('type', str('forward')).attr('target_group_arn', ref(`aws_lb_target_group.${name}.arn`));
  ctx.main.push(listener);
  for (const target of targets) {
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
  if (lb.maxBodyBytes !== undefined) ctx.report.notExpressible(lb.id, 'max-body', 'AWS load balancers have no request body limit setting');
}

function writeAlgorithmReport(ctx: Context, lb: LoadBalancerNode, tcp: boolean): void {
  if (tcp) {
    ctx.report.approximated(lb.id, 'algorithm', 'a network load balancer hashes each flow; the design algorithm is not selectable');
    return;
  }
  switch (lb.algorithm) {
    case 'round-robin':
      ctx.report.expressed(lb.id, 'algorithm', 'round_robin');
      break;
    case 'least-connections':
      ctx.report.approximated(lb.id, 'algorithm', 'least connections as least_outstanding_requests (in-flight requests per target)');
      break;
    case 'weighted-round-robin':
      ctx.report.notExpressible(lb.id, 'weights', 'ALB target groups have no per-target weights; round_robin is used');
      break;
    case 'source-hash':
      ctx.report.notExpressible(lb.id, 'algorithm', 'ALB has no source-IP hash; round_robin is used (use stickiness or an NLB)');
      break;
    case 'random-two':
      ctx.report.approximated(lb.id, 'algorithm', 'random two choices as weighted_random');
      break;
  }
}
