import type { AwsReadState } from './common.js';
import { eachItem, firstTime, tagRecord } from './common.js';
import { AutoScalingGroupShape, InstanceShape, ReservationShape } from './shapes.js';
import { checkShape } from '../json.js';

/** Instances and auto-scaling groups: describe-instances, describe-auto-scaling-groups. */

/** States of an instance that is gone or going: it is left out of the design. */
const GONE = new Set(['terminated', 'shutting-down']);

/** `Reservations`: each instance with its private address, subnet and groups; terminated ones are listed in `ignored`. */
export function readReservations(top: Record<string, unknown>, file: string, state: AwsReadState): void {
  eachItem(top, 'Reservations', file, ReservationShape, (reservation, path) => {
    reservation.Instances.forEach((raw, j) => {
      const instance = checkShape(InstanceShape, raw, file, [...path, 'Instances', j]);
      if (!firstTime(state, 'i', instance.InstanceId)) return;
      const status = instance.State?.Name;
      if (status !== undefined && GONE.has(status)) {
        state.inventory.ignored.push({ type: 'Instance', id: instance.InstanceId, reason: `${status}: no longer part of the network` });
        return;
      }
      if (instance.SubnetId === undefined) {
        state.inventory.ignored.push({ type: 'Instance', id: instance.InstanceId, reason: 'in no subnet (no SubnetId)' });
        return;
      }
      const tags = tagRecord(instance.Tags);
      const group = tags['aws:autoscaling:groupName'];
      state.inventory.instances.push({
        id: instance.InstanceId,
        subnetId: instance.SubnetId,
        ...(instance.PrivateIpAddress ? { privateIp: instance.PrivateIpAddress } : {}),
        ...ipv6Of(instance),
        groups: instance.SecurityGroups.map((g) => g.GroupId),
        tags,
        ...(group !== undefined ? { autoscalingGroup: group } : {}),
      });
    });
  });
}

/** `AutoScalingGroups`: sizes, subnets, target groups and current instances. */
export function readAutoScalingGroups(top: Record<string, unknown>, file: string, state: AwsReadState): void {
  eachItem(top, 'AutoScalingGroups', file, AutoScalingGroupShape, (group) => {
    if (!firstTime(state, 'asg', group.AutoScalingGroupName)) return;
    state.inventory.autoscalingGroups.push({
      id: group.AutoScalingGroupName,
      min: group.MinSize,
      max: group.MaxSize,
      ...(group.DesiredCapacity !== undefined ? { desired: group.DesiredCapacity } : {}),
      subnets: (group.VPCZoneIdentifier ?? '').split(',').map((s) => s.trim()).filter(Boolean),
      targetGroups: group.TargetGroupARNs,
      instances: group.Instances.filter((i) => !['Terminating', 'Terminated'].includes(i.LifecycleState ?? '')).map((i) => i.InstanceId),
      groups: [],
      tags: tagRecord(group.Tags),
    });
  });
}

/** An instance's IPv6 address: its primary one, else its first interface's first. */
function ipv6Of(instance: { Ipv6Address?: string | undefined; NetworkInterfaces: { Ipv6Addresses: { Ipv6Address: string }[] }[] }): { ipv6?: string } {
  const address = instance.Ipv6Address ?? instance.NetworkInterfaces.flatMap((n) => n.Ipv6Addresses)[0]?.Ipv6Address;
  return address !== undefined ? { ipv6: address } : {};
}
