import { exportTls } from '../tls.js';
import type { AutoscalingGroupNode, TopologyNode } from '../../model/types.js';
import { describeNode } from '../escape.js';
import { awsName, balancersOf, facesInternet, isApiGateway, output, rname, tags, type Context } from './context.js';
import { writeApiGateway } from './apigateway.js';
import { Block, bool, list, num, ref, str } from './hcl.js';
import { registersAt, targetGroupPort } from './balancer.js';
import { securityGroupsFor } from './security.js';

/** `aws_instance` at the node's designed address (servers, and proxies or caches running their export). */
export function writeInstance(ctx: Context, node: TopologyNode): void {
  const subnet = ctx.view.index.subnetOf(node.id);
  if (!subnet) return;
  const group = node.parent !== undefined ? ctx.view.index.nodeOfKind(node.parent, 'autoscaling-group') : undefined;
  if (group) {
    ctx.report.approximated(node.id, 'instance', `runs as an instance of auto-scaling group ${group.id}; its own address is not pinned`, 'reach the group through its load balancer, not a fixed address');
    return;
  }
  if (isApiGateway(node)) {
    writeApiGateway(ctx, node);
    return;
  }
  const name = rname(ctx, node.id);
  const address = ctx.view.addresses.get(node.id);
  const tls = exportTls(ctx.view.topology, node);
  if (tls !== undefined) {
    ctx.report.approximated(node.id, 'tls', `HTTPS on ${tls.port} terminates on the instance: its nginx or HAProxy export carries the listener and the certificate paths; ACM certificates attach only to load balancers`, 'install the nginx or HAProxy export on the instance with its certificates, and open port ' + String(tls.port) + ' in its security group');
  }
  const block = new Block('resource', ['aws_instance', name])
    .attr('ami', ref('var.ami_id'))
    .attr('instance_type', ref('var.instance_type'))
    .attr('subnet_id', ref(`aws_subnet.${rname(ctx, subnet.id)}.id`));
  if (address) block.attr(address.version === 6 ? 'ipv6_addresses' : 'private_ip', address.version === 6 ? list([str(address.ip)]) : str(address.ip));
  block.attr('vpc_security_group_ids', securityGroupsFor(ctx, node)).attr('tags', tags(ctx, node, 1));
  ctx.main.push(block);
  if (facesInternet(node)) writePublicAddress(ctx, node, name, address?.version ?? 4);
  if (node.kind !== 'server') {
    const engine = node.kind === 'forward-proxy' ? 'the Squid config of the Compose export' : 'the nginx or HAProxy export';
    ctx.report.approximated(node.id, node.kind, `runs as an EC2 instance at its designed address`, `install ${engine} on it (var.ami_id is the image)`);
  } else {
    ctx.report.expressed(node.id, 'instance', `aws_instance at ${address?.ip ?? 'an address AWS picks'}`);
    if (node.command !== undefined || node.latencyMs !== undefined || node.errorRate !== undefined) {
      ctx.report.notExpressible(node.id, 'server-behaviour', 'the lab app (command, latency, error rate) is not infrastructure', 'supply the AMI that runs your app as var.ami_id');
    }
  }
}

/** `aws_launch_template` + `aws_autoscaling_group`, and its target-tracking policy where AWS has the metric. */
export function writeAutoscaling(ctx: Context, group: AutoscalingGroupNode): void {
  const subnetIds = [...new Set([...(group.parent !== undefined ? [group.parent] : []), ...(group.subnets ?? [])])].filter((id) => ctx.view.index.nodeOfKind(id, 'subnet'));
  if (subnetIds.length === 0) return;
  const name = rname(ctx, group.id);
  const template = new Block('resource', ['aws_launch_template', name])
    .attr('name_prefix', str(`${awsName(group.id, 20)}-`))
    .attr('image_id', ref('var.ami_id'))
    .attr('instance_type', ref('var.instance_type'))
    .attr('vpc_security_group_ids', securityGroupsFor(ctx, group));
  template.block('tag_specifications').attr('resource_type', str('instance')).attr('tags', tags(ctx, group, 2));
  ctx.main.push(template);
  // Only where the instances' port is the target group's: AWS registers a group at that port (reported in balancer.ts otherwise).
  const targetGroups = balancersOf(ctx, group.id).filter((lb) => ctx.view.addresses.get(lb.id) && registersAt(ctx, group.id, targetGroupPort(ctx, lb))).map((lb) => ref(`aws_lb_target_group.${rname(ctx, lb.id)}.arn`));
  const asg = new Block('resource', ['aws_autoscaling_group', name])
    .attr('name', str(group.id))
    .attr('min_size', num(group.min))
    .attr('max_size', num(group.max));
  if (group.desired !== undefined) asg.attr('desired_capacity', num(group.desired));
  asg.attr('vpc_zone_identifier', list(subnetIds.map((id) => ref(`aws_subnet.${rname(ctx, id)}.id`))));
  if (targetGroups.length > 0) asg.attr('target_group_arns', list(targetGroups)).attr('health_check_type', str('ELB'));
  asg.block('launch_template').attr('id', ref(`aws_launch_template.${name}.id`)).attr('version', str('$Latest'));
  asg.block('tag').attr('key', str('Name')).attr('value', str(group.name ?? group.id)).attr('propagate_at_launch', bool(true));
  ctx.main.push(asg);
  ctx.report.expressed(group.id, 'autoscaling', `aws_launch_template + aws_autoscaling_group (min ${group.min}, max ${group.max})`);
  const tracking = group.targetTracking;
  if (!tracking) return;
  const lb = balancersOf(ctx, group.id).find((b) => b.layer === 7 && ctx.view.addresses.get(b.id) && registersAt(ctx, group.id, targetGroupPort(ctx, b)));
  if (tracking.metric === 'rps' && lb) {
    const policy = new Block('resource', ['aws_autoscaling_policy', name])
      .attr('name', str(`${group.id}-requests`))
      .attr('autoscaling_group_name', ref(`aws_autoscaling_group.${name}.name`))
      .attr('policy_type', str('TargetTrackingScaling'));
    if (tracking.cooldownSeconds !== undefined) policy.attr('estimated_instance_warmup', num(tracking.cooldownSeconds));
    const config = policy.block('target_tracking_configuration');
    // ALB counts requests per target per minute; the design counts per second.
    config.attr('target_value', num(tracking.target * 60));
    config
      .block('predefined_metric_specification')
      .attr('predefined_metric_type', str('ALBRequestCountPerTarget'))
      .attr('resource_label', ref(`"\${aws_lb.${rname(ctx, lb.id)}.arn_suffix}/\${aws_lb_target_group.${rname(ctx, lb.id)}.arn_suffix}"`));
    ctx.main.push(policy);
    ctx.report.approximated(group.id, 'target-tracking', `requests per second tracked as ALBRequestCountPerTarget (per minute: ${tracking.target * 60})`, 'nothing to do: the same target counted per minute');
  } else {
    ctx.report.notExpressible(
      group.id,
      'target-tracking',
      tracking.metric === 'rps' ? 'requests per target need an application load balancer in front of the group' : 'AWS has no predefined in-flight-requests metric',
      tracking.metric === 'rps' ? 'put a layer 7 balancer in front of the group' : 'publish in-flight requests as a custom CloudWatch metric and add a target-tracking policy on it',
    );
  }
}

/**
 * An internet-facing reverse proxy or cache is reached from the internet at a public
 * address: an Elastic IP on its instance (IPv4; a fixed address that survives a stop), its
 * own global address for IPv6. The subnet must route to an internet gateway, as validate checks.
 */
function writePublicAddress(ctx: Context, node: TopologyNode, name: string, version: 4 | 6): void {
  const vpc = ctx.view.index.vpcOf(node.id);
  const subnet = ctx.view.index.subnetOf(node.id);
  const routed = subnet !== undefined && ctx.view.routes.isPublic(subnet.id);
  if (version === 6) {
    if (routed) ctx.report.expressed(node.id, 'public-address', 'its IPv6 address is global: clients on the internet reach it through the subnet\'s route to the internet gateway');
    else ctx.report.notExpressible(node.id, 'public-address', 'internet-facing, but its subnet has no route to an internet gateway', 'route ::/0 of its subnet to the VPC\'s internet gateway');
    return;
  }
  const eip = new Block('resource', ['aws_eip', name]).attr('domain', str('vpc')).attr('instance', ref(`aws_instance.${name}.id`));
  // AWS associates an Elastic IP only once the VPC has its internet gateway.
  const igw = ctx.view.index.ofKind('internet-gateway').find((g) => vpc !== undefined && ctx.view.index.vpcOf(g.id)?.id === vpc.id);
  if (igw) eip.attr('depends_on', list([ref(`aws_internet_gateway.${rname(ctx, igw.id)}`)]));
  eip.attr('tags', tags(ctx, node, 1));
  ctx.main.push(eip);
  ctx.outputs.push(output(`${name}_public_ip`, ref(`aws_eip.${name}.public_ip`), `Public address of ${node.kind} ${describeNode(node)}`));
  if (routed) ctx.report.expressed(node.id, 'public-address', 'aws_eip on its instance: the fixed public address clients on the internet use (output ' + `${name}_public_ip)`);
  else ctx.report.notExpressible(node.id, 'public-address', 'internet-facing with an Elastic IP, but its subnet has no route to an internet gateway, so the address is not reachable', 'route 0.0.0.0/0 of its subnet to the VPC\'s internet gateway');
}
