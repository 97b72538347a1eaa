import { describe, expect, it } from 'vitest';
import { edgeTargetKinds, NODE_KINDS } from '../../../core/model/index.js';
import { connectionEnds } from '../../../renderer/actions/connect.js';

// Issue 16: a handle that can never start an allowed connection is not drawn. Which ones
// come from the descriptors' traffic rules (sends, canSendTo) and the two drawn relations
// (route table <-> subnet associations, VPC <-> VPC peerings).
describe('connectionEnds', () => {
  it('a kind that sends has an out-handle, and every kind it may send to an in-handle', () => {
    for (const kind of NODE_KINDS) {
      const targets = edgeTargetKinds(kind);
      if (targets.length > 0) expect(connectionEnds(kind).starts, kind).toBe(true);
      for (const target of targets) expect(connectionEnds(target).ends, `${kind} -> ${target}`).toBe(true);
    }
  });

  it('follows the descriptors for servers (whether they send is theirs to say)', () => {
    expect(connectionEnds('server')).toEqual({ starts: edgeTargetKinds('server').length > 0, ends: true });
  });

  it('clients only start, gateways and peerings have no handle to drag, tables, subnets and VPCs both', () => {
    expect(connectionEnds('client')).toEqual({ starts: true, ends: false });
    expect(connectionEnds('internet-gateway')).toEqual({ starts: false, ends: false });
    expect(connectionEnds('nat-gateway')).toEqual({ starts: false, ends: false });
    expect(connectionEnds('peering')).toEqual({ starts: false, ends: false });
    for (const kind of ['route-table', 'subnet', 'vpc', 'load-balancer'] as const) expect(connectionEnds(kind), kind).toEqual({ starts: true, ends: true });
  });
});
