import type { AwsReadState } from './common.js';
import { eachItem, firstTime } from './common.js';
import { ListenerShape, LoadBalancerShape, TargetGroupShape, TargetHealthShape } from './shapes.js';

/** Elastic Load Balancing v2: describe-load-balancers, -target-groups, -target-health, -listeners. */

/** `LoadBalancers`: application and network balancers; a gateway balancer is not modelled. */
export function readLoadBalancers(top: Record<string, unknown>, file: string, state: AwsReadState): void {
  eachItem(top, 'LoadBalancers', file, LoadBalancerShape, (lb) => {
    if (!firstTime(state, 'lb', lb.LoadBalancerName)) return;
    state.balancerArns.set(lb.LoadBalancerArn, lb.LoadBalancerName);
    if (lb.Type !== 'application' && lb.Type !== 'network') {
      state.inventory.ignored.push({ type: 'LoadBalancer', id: lb.LoadBalancerName, reason: `a ${lb.Type} load balancer: the format has application and network balancers only` });
      return;
    }
    state.inventory.balancers.push({
      id: lb.LoadBalancerName,
      type: lb.Type,
      internetFacing: lb.Scheme === 'internet-facing',
      subnets: lb.AvailabilityZones.map((z) => z.SubnetId).filter((s): s is string => s !== undefined),
      groups: lb.SecurityGroups,
      tags: {},
    });
  });
}

/** `TargetGroups`: port, protocol, health check and balancers (targets come from describe-target-health). */
export function readTargetGroups(top: Record<string, unknown>, file: string, state: AwsReadState): void {
  eachItem(top, 'TargetGroups', file, TargetGroupShape, (tg) => {
    if (!firstTime(state, 'tg', tg.TargetGroupName)) return;
    state.targetGroupArns.set(tg.TargetGroupArn, tg.TargetGroupName);
    state.inventory.targetGroups.push({
      id: tg.TargetGroupName,
      targetType: tg.TargetType,
      ...(tg.Port !== undefined ? { port: tg.Port } : {}),
      ...(tg.Protocol !== undefined ? { protocol: tg.Protocol } : {}),
      health: {
        ...(tg.HealthCheckEnabled !== undefined ? { enabled: tg.HealthCheckEnabled } : {}),
        ...(tg.HealthCheckProtocol !== undefined ? { protocol: tg.HealthCheckProtocol } : {}),
        ...(tg.HealthCheckPath !== undefined ? { path: tg.HealthCheckPath } : {}),
        ...(tg.HealthCheckIntervalSeconds !== undefined ? { intervalSeconds: tg.HealthCheckIntervalSeconds } : {}),
        ...(tg.HealthCheckTimeoutSeconds !== undefined ? { timeoutSeconds: tg.HealthCheckTimeoutSeconds } : {}),
        ...(tg.HealthyThresholdCount !== undefined ? { healthy: tg.HealthyThresholdCount } : {}),
        ...(tg.UnhealthyThresholdCount !== undefined ? { unhealthy: tg.UnhealthyThresholdCount } : {}),
        ...(tg.Matcher?.HttpCode !== undefined ? { matcher: tg.Matcher.HttpCode } : {}),
      },
      // ARNs for now: names once every file is read (resolveArns).
      balancers: tg.LoadBalancerArns,
      targets: [],
      tags: {},
    });
  });
}

/** `TargetHealthDescriptions`: the registered targets of one target group, paired later by file name. */
export function readTargetHealth(top: Record<string, unknown>, file: string, state: AwsReadState): void {
  const targets: { id: string; port?: number }[] = [];
  eachItem(top, 'TargetHealthDescriptions', file, TargetHealthShape, (d) => {
    targets.push({ id: d.Target.Id, ...(d.Target.Port !== undefined ? { port: d.Target.Port } : {}) });
  });
  state.healthFiles.push({ file, targets });
}

/** `Listeners`: the balancer's port and the target groups its default actions forward to. */
export function readListeners(top: Record<string, unknown>, file: string, state: AwsReadState): void {
  eachItem(top, 'Listeners', file, ListenerShape, (listener) => {
    if (!firstTime(state, 'listener', listener.ListenerArn)) return;
    const groups = listener.DefaultActions.flatMap((a) => (a.Type !== 'forward' ? [] : a.ForwardConfig?.TargetGroups.length ? a.ForwardConfig.TargetGroups.map((t) => t.TargetGroupArn) : a.TargetGroupArn ? [a.TargetGroupArn] : []));
    state.inventory.listeners.push({ id: listener.ListenerArn, balancer: listener.LoadBalancerArn, ...(listener.Port !== undefined ? { port: listener.Port } : {}), targetGroups: [...new Set(groups)] });
  });
}

/** The base name of a path, without folders. */
function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/**
 * After every file: ARNs become names, and each describe-target-health file joins the
 * target group whose name its file name holds (the longest such name), or the only target
 * group there is; a file that pairs with none is listed in `ignored`.
 */
export function resolveBalancers(state: AwsReadState): void {
  const { inventory } = state;
  const byName = new Map(inventory.targetGroups.map((tg) => [tg.id, tg]));
  for (const { file, targets } of state.healthFiles) {
    const name = baseName(file);
    const matches = inventory.targetGroups.filter((tg) => name.includes(tg.id)).sort((a, b) => b.id.length - a.id.length);
    const group = matches[0] ?? (inventory.targetGroups.length === 1 ? inventory.targetGroups[0] : undefined);
    if (!group) {
      inventory.ignored.push({ type: 'TargetHealthDescriptions', id: name, reason: 'no target group pairs with this file: put the target group\'s name in the file name, or import its TargetGroups file' });
      continue;
    }
    for (const target of targets) if (!group.targets.some((t) => t.id === target.id && t.port === target.port)) group.targets.push(target);
  }
  for (const tg of inventory.targetGroups) tg.balancers = tg.balancers.map((arn) => state.balancerArns.get(arn)).filter((n): n is string => n !== undefined);
  for (const listener of inventory.listeners) {
    listener.balancer = state.balancerArns.get(listener.balancer) ?? listener.balancer;
    listener.targetGroups = listener.targetGroups.map((arn) => state.targetGroupArns.get(arn)).filter((n): n is string => n !== undefined && byName.has(n));
  }
  for (const asg of inventory.autoscalingGroups) asg.targetGroups = asg.targetGroups.map((arn) => state.targetGroupArns.get(arn)).filter((n): n is string => n !== undefined);
}
