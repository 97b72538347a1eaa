import { terraformNodeId } from '../ids.js';
import type { HealthCheckRecord, Tags } from '../inventory.js';
import type { TfResource } from './document.js';
import { safeParseIp } from '../../cidr/address.js';
import { ImportInputError } from '../errors.js';
import { blocks, bool, link, num, str, strings, tagsOf, type TfReadState, type TfReader } from './common.js';

/** aws_instance, aws_autoscaling_group (+ attachments, launch template groups), aws_lb, aws_lb_target_group (+ attachments), aws_lb_listener. */

export const readInstance: TfReader = (r, state) => {
  const id = terraformNodeId(r.address);
  const subnetId = link(state, r, ['subnet_id']);
  if (subnetId === undefined) {
    state.inventory.ignored.push({ type: r.type, id, reason: 'in no known subnet (no subnet_id)' });
    return;
  }
  const ip = str(r, 'private_ip');
  const [ipv6] = strings(r.values['ipv6_addresses']);
  if (ipv6 !== undefined && safeParseIp(ipv6)?.version !== 6) throw new ImportInputError(state.file, [...r.path, 'values', 'ipv6_addresses', 0], `"${ipv6.slice(0, 64)}" is not an IPv6 address`);
  state.inventory.instances.push({ id, subnetId, ...(ip ? { privateIp: ip } : {}), ...(ipv6 !== undefined ? { ipv6 } : {}), groups: state.links.links(r, ['vpc_security_group_ids']), tags: tagsOf(r) });
};

/** Tags of `tag` blocks (aws_autoscaling_group) and of a launch template's instance tag specification. */
function groupTags(state: TfReadState, r: TfResource, template: TfResource | undefined): Tags {
  const out: Tags = {};
  if (template) {
    for (const spec of blocks(template, 'tag_specifications')) {
      const tags = spec['tags'];
      if (spec['resource_type'] === 'instance' && tags !== null && typeof tags === 'object') for (const [k, v] of Object.entries(tags)) if (typeof v === 'string') out[k.slice(0, 128)] = v.slice(0, 256);
    }
  }
  for (const tag of blocks(r, 'tag')) if (typeof tag['key'] === 'string' && typeof tag['value'] === 'string') out[tag['key'].slice(0, 128)] = tag['value'].slice(0, 256);
  void state;
  return out;
}

export const readAutoscalingGroup: TfReader = (r, state) => {
  const id = terraformNodeId(r.address);
  const template = state.links.linkedResources(r, ['launch_template', 0, 'id']).find((t) => t.resource)?.resource ?? state.links.linkedResources(r, ['launch_template', 0, 'name']).find((t) => t.resource)?.resource;
  const desired = num(r, 'desired_capacity');
  state.inventory.autoscalingGroups.push({
    id,
    min: num(r, 'min_size') ?? 0,
    max: num(r, 'max_size') ?? 1,
    ...(desired !== undefined ? { desired } : {}),
    subnets: state.links.links(r, ['vpc_zone_identifier']),
    targetGroups: state.links.links(r, ['target_group_arns']),
    instances: [],
    groups: template ? state.links.links(template, ['vpc_security_group_ids']) : [],
    tags: groupTags(state, r, template),
  });
};

export const readAutoscalingAttachment: TfReader = (r, state) => {
  const asgId = link(state, r, ['autoscaling_group_name']);
  const groupId = link(state, r, ['lb_target_group_arn']);
  if (asgId !== undefined && groupId !== undefined) state.asgAttachments.push({ asgId, groupId });
};

export const readLoadBalancer: TfReader = (r, state) => {
  const id = terraformNodeId(r.address);
  const type = str(r, 'load_balancer_type') ?? 'application';
  if (type !== 'application' && type !== 'network') {
    state.inventory.ignored.push({ type: r.type, id, reason: `a ${type} load balancer: the format has application and network balancers only` });
    return;
  }
  const mapped = blocks(r, 'subnet_mapping').flatMap((_b, i) => state.links.links(r, ['subnet_mapping', i, 'subnet_id']));
  state.inventory.balancers.push({
    id,
    type,
    internetFacing: bool(r, 'internal') === false,
    subnets: [...state.links.links(r, ['subnets']), ...mapped],
    groups: state.links.links(r, ['security_groups']),
    tags: tagsOf(r),
  });
};

export const readTargetGroup: TfReader = (r, state) => {
  const check = blocks(r, 'health_check')[0] ?? {};
  const n = (key: string) => (typeof check[key] === 'number' ? (check[key] as number) : undefined);
  const s = (key: string) => (typeof check[key] === 'string' && check[key] !== '' ? (check[key] as string) : undefined);
  const port = num(r, 'port');
  const protocol = str(r, 'protocol');
  const health = {
    ...(typeof check['enabled'] === 'boolean' ? { enabled: check['enabled'] } : {}),
    ...(s('protocol') !== undefined ? { protocol: s('protocol') } : {}),
    ...(s('path') !== undefined ? { path: s('path') } : {}),
    ...(n('interval') !== undefined ? { intervalSeconds: n('interval') } : {}),
    ...(n('timeout') !== undefined ? { timeoutSeconds: n('timeout') } : {}),
    ...(n('healthy_threshold') !== undefined ? { healthy: n('healthy_threshold') } : {}),
    ...(n('unhealthy_threshold') !== undefined ? { unhealthy: n('unhealthy_threshold') } : {}),
    ...(s('matcher') !== undefined ? { matcher: s('matcher') } : {}),
  };
  state.inventory.targetGroups.push({
    id: terraformNodeId(r.address),
    targetType: str(r, 'target_type') ?? 'instance',
    ...(port !== undefined ? { port } : {}),
    ...(protocol !== undefined ? { protocol } : {}),
    health: health as HealthCheckRecord,
    balancers: [],
    targets: [],
    tags: tagsOf(r),
  });
};

export const readTargetGroupAttachment: TfReader = (r, state) => {
  const groupId = link(state, r, ['target_group_arn']);
  const targetId = link(state, r, ['target_id']);
  const port = num(r, 'port');
  if (groupId !== undefined && targetId !== undefined) state.attachments.push({ groupId, targetId, ...(port !== undefined ? { port } : {}) });
  else state.inventory.ignored.push({ type: r.type, id: terraformNodeId(r.address), reason: 'its target group or target is unknown' });
};

export const readListener: TfReader = (r, state) => {
  const balancer = link(state, r, ['load_balancer_arn']);
  if (balancer === undefined) return;
  const groups: string[] = [];
  blocks(r, 'default_action').forEach((action, i) => {
    if (action['type'] !== 'forward') return;
    groups.push(...state.links.links(r, ['default_action', i, 'target_group_arn']));
    const forward = Array.isArray(action['forward']) ? (action['forward'] as Record<string, unknown>[]) : [];
    forward.forEach((_f, j) => {
      const list = Array.isArray(_f['target_group']) ? (_f['target_group'] as unknown[]) : [];
      list.forEach((_t, k) => groups.push(...state.links.links(r, ['default_action', i, 'forward', j, 'target_group', k, 'arn'])));
    });
  });
  const port = num(r, 'port');
  state.inventory.listeners.push({ id: terraformNodeId(r.address), balancer, ...(port !== undefined ? { port } : {}), targetGroups: [...new Set(groups)] });
};

/** After every resource: attachments join their target groups, listeners tell each group its balancers. */
export function finishBalancers(state: TfReadState): void {
  const { inventory } = state;
  const groups = new Map(inventory.targetGroups.map((tg) => [tg.id, tg]));
  for (const { groupId, targetId, port } of state.attachments) groups.get(groupId)?.targets.push({ id: targetId, ...(port !== undefined ? { port } : {}) });
  for (const listener of inventory.listeners) {
    for (const groupId of listener.targetGroups) {
      const tg = groups.get(groupId);
      if (tg && !tg.balancers.includes(listener.balancer)) tg.balancers.push(listener.balancer);
    }
  }
  for (const { asgId, groupId } of state.asgAttachments) {
    const asg = inventory.autoscalingGroups.find((g) => g.id === asgId);
    if (asg && !asg.targetGroups.includes(groupId)) asg.targetGroups.push(groupId);
  }
}
