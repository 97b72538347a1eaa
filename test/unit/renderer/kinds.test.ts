import { describe, expect, it } from 'vitest';
import { parseTopology, type Topology, type TopologyNode } from '../../../core/model/index.js';
import { planLab } from '../../../core/runtime/lab/plan.js';
import { validateTopology } from '../../../core/validate/index.js';
import { duplicateNodes } from '../../../renderer/actions/clipboard.js';
import { interpretConnection } from '../../../renderer/actions/connect.js';
import { deleteNodes, setNodeField, updateNode } from '../../../renderer/actions/edit.js';
import { ActionRefused } from '../../../renderer/actions/errors.js';

/** One node of each traffic kind in one public subnet, plus a second VPC to peer. */
function design(extraNodes: object[] = [], edges: object[] = []): Topology {
  return parseTopology(
    JSON.stringify({
      schema: 'topolab/1',
      nodes: [
        { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' },
        { id: 'igw', kind: 'internet-gateway', parent: 'vpc' },
        { id: 'pub', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/24' },
        { id: 'rt', kind: 'route-table', parent: 'vpc', main: true, routes: [{ destination: '0.0.0.0/0', target: 'igw' }] },
        { id: 'web', kind: 'server', parent: 'pub' },
        { id: 'lb', kind: 'load-balancer', parent: 'pub', internetFacing: true },
        { id: 'rp', kind: 'reverse-proxy', parent: 'pub' },
        { id: 'fp', kind: 'forward-proxy', parent: 'pub' },
        { id: 'cache', kind: 'cache', parent: 'pub' },
        { id: 'asg', kind: 'autoscaling-group', parent: 'pub', min: 1, max: 2 },
        { id: 'user', kind: 'client' },
        ...extraNodes,
      ],
      edges,
    }),
  );
}

const TRAFFIC: readonly string[] = ['web', 'lb', 'rp', 'fp', 'cache', 'asg', 'user'];

describe('what an edge may point at: the canvas, validate and the lab agree', () => {
  it.each(TRAFFIC.flatMap((from) => TRAFFIC.filter((to) => to !== from).map((to) => [from, to] as const)))('%s -> %s', (from, to) => {
    const base = design();
    const canvas = interpretConnection(base, from, to).ok;
    const withEdge = { ...base, edges: [{ id: 'e', from, to }] };
    const validateOk = !validateTopology(withEdge).some((d) => d.code === 'edge-invalid');
    expect(validateOk, 'validate agrees with the canvas').toBe(canvas);
    // The lab forwards along what balancers, proxies and caches point at: it refuses exactly what validate refuses.
    if (['lb', 'rp', 'cache'].includes(from)) {
      const lab = planLab(withEdge);
      const refused = !lab.ok && lab.problems.some((p) => p.code === 'lab-upstream-invalid');
      expect(refused, 'the lab agrees').toBe(!canvas);
    }
  });

  it('refuses a balancer in front of a forward proxy everywhere (a forward proxy answers a plain request with 400)', () => {
    expect(interpretConnection(design(), 'lb', 'fp')).toMatchObject({ ok: false });
    const withEdge = design([], [{ id: 'e', from: 'lb', to: 'fp' }]);
    expect(validateTopology(withEdge).find((d) => d.code === 'edge-invalid')?.message).toMatch(/takes proxy requests .* from the clients that use it/);
  });

  it('lets a cache sit in front of another cache (a tiered cache), on the canvas too', () => {
    const doc = design([{ id: 'edge-cache', kind: 'cache', parent: 'pub' }]);
    expect(interpretConnection(doc, 'edge-cache', 'cache')).toMatchObject({ ok: true, kind: 'edge' });
  });
});

describe('typed edits are schema-checked before they enter history', () => {
  it('refuses a value the file format refuses, naming the field', () => {
    const doc = design();
    expect(() => updateNode<Extract<TopologyNode, { kind: 'server' }>>(doc, { id: 'web', patch: { port: 70_000 } })).toThrow(ActionRefused);
    expect(() => updateNode<Extract<TopologyNode, { kind: 'server' }>>(doc, { id: 'web', patch: { port: 70_000 } })).toThrow(/port/);
    expect(() => setNodeField(doc, { id: 'web', field: 'cidr', value: '10.0.0.0/24' })).toThrow(/server has no field "cidr"/);
    expect(() => setNodeField(doc, { id: 'rt', field: 'routes[5].destination', value: '10.0.0.0/8' })).toThrow(/names nothing/);
    // A reference the kind declares must name a node, or the saved file would not reopen.
    expect(() => updateNode<Extract<TopologyNode, { kind: 'autoscaling-group' }>>(doc, { id: 'asg', patch: { subnets: ['pub', 'typo'] } })).toThrow(/subnets\[1\] names "typo", which is not a node/);
  });

  it('applies a validator fix that names a nested field', () => {
    const doc = setNodeField(design(), { id: 'rt', field: 'routes[0].destination', value: '0.0.0.0/1' });
    expect(doc.nodes.find((n) => n.id === 'rt')).toMatchObject({ routes: [{ destination: '0.0.0.0/1', target: 'igw' }] });
  });
});

describe('references declared once: deletes and paste use the descriptors', () => {
  const withRefs = (): Topology =>
    design([
      { id: 'gw', kind: 'reverse-proxy', parent: 'pub', rules: [{ pathPrefix: '/a', upstreams: ['web'] }, { pathPrefix: '/b', upstreams: ['web', 'asg'] }] },
      { id: 'rt-2', kind: 'route-table', parent: 'vpc', subnets: ['pub'], routes: [{ destination: '0.0.0.0/0', target: 'igw' }, { destination: '10.9.0.0/16', target: 'web' }, { destination: '10.8.0.0/16', target: 'blackhole' }] },
    ]);

  it('a delete drops every reference to the deleted node, and the rules it emptied', () => {
    const doc = deleteNodes(withRefs(), { ids: ['web'] });
    expect(doc.nodes.find((n) => n.id === 'gw')).toMatchObject({ rules: [{ pathPrefix: '/b', upstreams: ['asg'] }] });
    expect(doc.nodes.find((n) => n.id === 'rt-2')).toMatchObject({ routes: [{ destination: '0.0.0.0/0', target: 'igw' }, { destination: '10.8.0.0/16', target: 'blackhole' }] });
    expect(validateTopology(doc).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('a paste renames references inside the copy and keeps those to nodes outside it', () => {
    const { doc, pasted } = duplicateNodes(withRefs(), { ids: ['gw', 'rt-2'] });
    const copies = doc.nodes.filter((n) => pasted.includes(n.id));
    expect(copies.find((n) => n.kind === 'reverse-proxy')).toMatchObject({ rules: [{ upstreams: ['web'] }, { upstreams: ['web', 'asg'] }] });
    expect(copies.find((n) => n.kind === 'route-table')).toMatchObject({ subnets: ['pub'], routes: [{ target: 'igw' }, { target: 'web' }, { target: 'blackhole' }] });
  });
});
