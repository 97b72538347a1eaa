import { safeParsePorts } from '../../model/ports.js';
import type { HealthCheck, SecurityGroupNode } from '../../model/types.js';
import type { HealthCheckRecord, InstanceRecord, TargetGroupRecord } from '../inventory.js';
import { type DesignBuilder, nameAndTags } from './context.js';

/** Instances, auto-scaling groups, balancers and their target groups (as edges). */

const DEFAULT_PORT = 80;

/** The groups of a list the import has, the others listed in `ignored`. */
function knownGroups(b: DesignBuilder, owner: string, type: string, groups: readonly string[]): string[] {
  const known = [...new Set(groups)].filter((g) => b.has(g, 'security-group'));
  for (const g of groups) if (!known.includes(g)) b.ignore(type, `${owner} ${g}`, `security group ${g} is not in the imported files`);
  return known.slice(0, 5);
}

/** The one TCP port the inbound rules of these groups allow, if exactly one. */
function singleInboundPort(b: DesignBuilder, groups: readonly string[]): number | undefined {
  const ports = new Set<string>();
  for (const id of groups) {
    const group = b.node(id) as SecurityGroupNode | undefined;
    for (const rule of group?.inbound ?? []) {
      if (rule.protocol === 'all') return undefined;
      if (rule.protocol === 'tcp' && rule.ports !== undefined) ports.add(rule.ports);
    }
  }
  if (ports.size !== 1) return undefined;
  const parsed = safeParsePorts([...ports][0] as string);
  return parsed.ok && parsed.range.from === parsed.range.to && parsed.range.from > 0 ? parsed.range.from : undefined;
}

/** Target registrations of a node id: the target groups that list it (by id, or by its private address). */
function registrations(b: DesignBuilder, id: string, ip: string | undefined): { tg: TargetGroupRecord; port: number | undefined }[] {
  const out: { tg: TargetGroupRecord; port: number | undefined }[] = [];
  for (const tg of b.inventory.targetGroups) {
    for (const target of tg.targets) if (target.id === id || (ip !== undefined && target.id === ip)) out.push({ tg, port: target.port ?? tg.port });
  }
  return out;
}

/**
 * Where a node listens: its target-group registration's port, else the single TCP port its
 * groups let in, else the kind's default. The report says which.
 */
function listeningPort(b: DesignBuilder, nodeId: string, ip: string | undefined, groups: readonly string[], extraGroups: readonly string[] = []): number {
  const registered = registrations(b, nodeId, ip).find((r) => r.port !== undefined);
  const registeredByGroup = b.inventory.targetGroups.find((tg) => extraGroups.includes(tg.id) && tg.port !== undefined);
  if (registered?.port !== undefined) return note(b, nodeId, registered.port, `target group ${registered.tg.id}`);
  if (registeredByGroup?.port !== undefined) return note(b, nodeId, registeredByGroup.port, `target group ${registeredByGroup.id}`);
  const single = singleInboundPort(b, groups);
  if (single !== undefined) return note(b, nodeId, single, 'the single TCP port its security groups let in');
  return note(b, nodeId, DEFAULT_PORT, 'the default (no registration, no single inbound port)');
}

function note(b: DesignBuilder, nodeId: string, port: number, source: string): number {
  b.ports.push({ nodeId, port, source });
  return port;
}

export function buildAutoscalingGroups(b: DesignBuilder): void {
  for (const asg of b.inventory.autoscalingGroups) {
    const subnets = asg.subnets.filter((s) => b.has(s, 'subnet'));
    const [first, ...rest] = subnets;
    if (first === undefined) {
      b.ignore('AutoScalingGroup', asg.id, 'none of its subnets is in the imported files');
      continue;
    }
    const members = b.inventory.instances.filter((i) => asg.instances.includes(i.id) || i.autoscalingGroup === asg.id);
    const groups = knownGroups(b, asg.id, 'AutoScalingGroup', [...asg.groups, ...members.flatMap((m) => m.groups)]);
    const clamp = (n: number) => Math.min(100, n);
    if (asg.max > 100) b.ignore('AutoScalingGroup', asg.id, `max ${asg.max} capped at 100, the format's largest group`);
    const port = listeningPort(b, asg.id, undefined, groups, asg.targetGroups);
    b.add(
      {
        id: asg.id,
        kind: 'autoscaling-group',
        parent: first,
        ...nameAndTags(asg.tags),
        ...(groups.length > 0 ? { securityGroups: groups } : {}),
        min: clamp(asg.min),
        max: Math.max(1, clamp(asg.max)),
        ...(asg.desired !== undefined ? { desired: clamp(asg.desired) } : {}),
        template: { port },
        ...(rest.length > 0 ? { subnets: rest } : {}),
      },
      'AutoScalingGroup',
    );
  }
}

function buildInstance(b: DesignBuilder, instance: InstanceRecord): void {
  const owner = instance.autoscalingGroup ?? b.inventory.autoscalingGroups.find((g) => g.instances.includes(instance.id))?.id;
  if (owner !== undefined && b.has(owner, 'autoscaling-group')) {
    b.ignore('Instance', instance.id, `an instance of auto-scaling group ${owner}, which stands for its instances`);
    return;
  }
  if (!b.has(instance.subnetId, 'subnet')) {
    b.ignore('Instance', instance.id, `its subnet ${instance.subnetId} is not in the imported files`);
    return;
  }
  const groups = knownGroups(b, instance.id, 'Instance', instance.groups);
  // The address of the subnet's family: an IPv6-only subnet's instance is reached at its IPv6 address.
  const subnet = b.node(instance.subnetId);
  const ip = subnet?.kind === 'subnet' && subnet.cidr.includes(':') ? instance.ipv6 : instance.privateIp;
  const port = listeningPort(b, instance.id, ip ?? instance.privateIp, groups);
  b.add(
    {
      id: instance.id,
      kind: 'server',
      parent: instance.subnetId,
      ...nameAndTags(instance.tags),
      ...(ip ? { ip } : {}),
      port,
      ...(groups.length > 0 ? { securityGroups: groups } : {}),
    },
    'Instance',
  );
}

export function buildInstances(b: DesignBuilder): void {
  for (const instance of b.inventory.instances) buildInstance(b, instance);
}

/** A target group's health check in the format's terms; what it cannot say goes into `ignored`. */
function healthCheck(b: DesignBuilder, tg: TargetGroupRecord): HealthCheck | undefined {
  const h: HealthCheckRecord = tg.health;
  if (h.enabled === false) return undefined;
  const out: HealthCheck = {};
  const protocol = (h.protocol ?? tg.protocol ?? '').toUpperCase();
  if (protocol.startsWith('HTTP')) out.type = 'http';
  else if (protocol !== '') out.type = 'tcp';
  if (h.path?.startsWith('/') && out.type === 'http') out.path = h.path.slice(0, 2048);
  const seconds = (s: number | undefined, min: number) => (s === undefined ? undefined : Math.min(600_000, Math.max(min, s * 1000)));
  const interval = seconds(h.intervalSeconds, 50);
  const timeout = seconds(h.timeoutSeconds, 10);
  if (interval !== undefined) out.intervalMs = interval;
  if (timeout !== undefined) out.timeoutMs = timeout;
  const count = (n: number | undefined) => (n === undefined ? undefined : Math.min(100, Math.max(1, n)));
  const rise = count(h.healthy);
  const fall = count(h.unhealthy);
  if (rise !== undefined) out.rise = rise;
  if (fall !== undefined) out.fall = fall;
  if (h.matcher !== undefined && out.type === 'http') {
    if (/^\d{3}(-\d{3})?$/.test(h.matcher)) out.expectStatus = h.matcher;
    else b.ignore('TargetGroup', `${tg.id} matcher`, `status codes "${h.matcher}": the format takes one code or one range`);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The node a target group's target stands for: an instance (by id or address), or its auto-scaling group. */
function targetNode(b: DesignBuilder, tg: TargetGroupRecord, targetId: string): string | undefined {
  if (b.has(targetId)) return targetId;
  const instance = b.inventory.instances.find((i) => i.id === targetId || i.privateIp === targetId || i.ipv6 === targetId);
  if (instance && b.has(instance.id)) return instance.id;
  const owner = instance?.autoscalingGroup ?? b.inventory.autoscalingGroups.find((g) => g.instances.includes(targetId))?.id;
  if (owner !== undefined && b.has(owner)) return owner;
  b.ignore('Target', `${tg.id} ${targetId}`, tg.targetType === 'lambda' || tg.targetType === 'alb' ? `a ${tg.targetType} target: not modelled` : 'the target is not in the imported files');
  return undefined;
}

export function buildBalancers(b: DesignBuilder): void {
  const { inventory } = b;
  for (const lb of inventory.balancers) {
    const subnets = lb.subnets.filter((s) => b.has(s, 'subnet'));
    if (subnets[0] === undefined) {
      b.ignore('LoadBalancer', lb.id, 'none of its subnets is in the imported files');
      continue;
    }
    const groups = knownGroups(b, lb.id, 'LoadBalancer', lb.groups);
    const listeners = inventory.listeners.filter((l) => l.balancer === lb.id);
    const tgs = inventory.targetGroups.filter((tg) => tg.balancers.includes(lb.id) || listeners.some((l) => l.targetGroups.includes(tg.id)));
    const check = tgs.map((tg) => healthCheck(b, tg)).find((h) => h !== undefined);
    const port = listeners.find((l) => l.port !== undefined)?.port;
    if (tgs.length > 1) b.ignore('TargetGroup', tgs.slice(1).map((t) => t.id).join(' '), `${lb.id} has several target groups: their targets are all edges of the balancer, with the health check of ${tgs[0]?.id}`);
    const added = b.add(
      {
        id: lb.id,
        kind: 'load-balancer',
        parent: subnets[0],
        ...nameAndTags(lb.tags),
        ...(port !== undefined ? { port } : {}),
        ...(groups.length > 0 ? { securityGroups: groups } : {}),
        layer: lb.type === 'network' ? 4 : 7,
        algorithm: 'round-robin',
        ...(check ? { healthCheck: check } : {}),
        ...(lb.internetFacing ? { internetFacing: true } : {}),
      },
      'LoadBalancer',
    );
    if (!added) continue;
    for (const tg of tgs) {
      const seen = new Set<string>();
      for (const target of tg.targets) {
        const to = targetNode(b, tg, target.id);
        if (to === undefined || seen.has(to)) continue;
        seen.add(to);
        b.edge(lb.id, to, `${tg.id}.${to}`, tg.id);
      }
      for (const asg of inventory.autoscalingGroups.filter((g) => g.targetGroups.includes(tg.id) && b.has(g.id) && !seen.has(g.id))) {
        seen.add(asg.id);
        b.edge(lb.id, asg.id, `${tg.id}.${asg.id}`, tg.id);
      }
    }
  }
  for (const tg of inventory.targetGroups) {
    if (!inventory.balancers.some((lb) => tg.balancers.includes(lb.id) && b.has(lb.id)) && !inventory.listeners.some((l) => l.targetGroups.includes(tg.id) && b.has(l.balancer))) {
      b.ignore('TargetGroup', tg.id, 'no imported load balancer forwards to it');
    }
  }
}
