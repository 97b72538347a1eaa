import type { Topology, TopologyNode } from '../../core/model/index.js';
import { ActionRefused } from './errors.js';
import { defaultSize } from './geometry.js';
import { idAllocator } from './ids.js';

/** One subnet the planner allocated, as the dialog applies it. */
export interface PlannedSubnetInput {
  cidr: string;
  zone?: string;
  name?: string;
}

/**
 * Adds the planner's subnets to a VPC, laid out in a grid below the VPC's existing
 * children (three per row), and grows the VPC so they fit. Returns the new subnet ids.
 */
export function applySubnetPlan(doc: Topology, input: { vpcId: string; subnets: PlannedSubnetInput[] }): { doc: Topology; added: string[] } {
  const vpc = doc.nodes.find((n) => n.id === input.vpcId);
  if (!vpc || vpc.kind !== 'vpc') throw new ActionRefused(`"${input.vpcId}" is not a VPC`);
  const next = idAllocator(doc);
  const size = defaultSize('subnet');
  const gap = 24;
  const children = doc.nodes.filter((n) => n.parent === vpc.id);
  const bottom = children.reduce((max, c) => {
    const e = doc.layout[c.id];
    return e ? Math.max(max, e.y + (e.height ?? 56)) : max;
  }, 24);
  const top = children.length > 0 ? bottom + gap : 48;
  const layout = { ...doc.layout };
  const nodes: TopologyNode[] = [];
  const added: string[] = [];
  input.subnets.forEach((planned, i) => {
    const id = next('subnet');
    added.push(id);
    const node: Record<string, unknown> = { id, kind: 'subnet', parent: vpc.id, cidr: planned.cidr };
    if (planned.name) node['name'] = planned.name;
    if (planned.zone) node['zone'] = planned.zone;
    nodes.push(node as TopologyNode);
    layout[id] = { x: 24 + (i % 3) * (size.width + gap), y: top + Math.floor(i / 3) * (size.height + gap), width: size.width, height: size.height };
  });
  const rows = Math.ceil(input.subnets.length / 3);
  const vpcEntry = layout[vpc.id] ?? { x: 0, y: 0 };
  const vpcSize = defaultSize('vpc');
  const needW = 24 + Math.min(3, input.subnets.length) * (size.width + gap);
  const needH = top + rows * (size.height + gap);
  layout[vpc.id] = {
    ...vpcEntry,
    width: Math.max(vpcEntry.width ?? vpcSize.width, needW),
    height: Math.max(vpcEntry.height ?? vpcSize.height, needH),
  };
  return { doc: { ...doc, nodes: [...doc.nodes, ...nodes], layout }, added };
}
