import { describe, expect, it } from 'vitest';
import { safeParseTopologyValue, type Topology, type TopologyInput } from '../../../core/model/index.js';
import { fastLoadTopologyValue } from '../../../core/model/fast-load.js';
import { copyFragment, pasteFragment } from '../../../renderer/actions/clipboard.js';
import { deleteNodes, updateNode } from '../../../renderer/actions/edit.js';

/** A zone naming two servers, a proxy and a cache sending to one of its names. */
const design: TopologyInput = {
  schema: 'topolab/1',
  nodes: [
    { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' },
    { id: 'app', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/24' },
    { id: 'web1', kind: 'server', parent: 'app', ip: '10.0.1.10' },
    { id: 'web2', kind: 'server', parent: 'app', ip: '10.0.1.11' },
    { id: 'gw', kind: 'reverse-proxy', parent: 'app', rules: [{ pathPrefix: '/', upstreams: ['api.shop.example'] }] },
    { id: 'edge', kind: 'cache', parent: 'app', origins: ['api.shop.example'] },
    {
      id: 'shop',
      kind: 'dns-zone',
      name: 'shop.example',
      records: [
        { name: 'api', type: 'A', ttl: 60, values: ['web1', 'web2'], policy: 'weighted', weights: [3, 1] },
        { name: 'one', type: 'A', ttl: 60, values: ['web2'], policy: 'simple' },
        { name: 'lit', type: 'A', ttl: 60, values: ['203.0.113.7'], policy: 'simple' },
      ],
    },
  ],
};

function parsed(input: TopologyInput): Topology {
  const result = safeParseTopologyValue(input);
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result.topology;
}

describe('DNS names and record values as references', () => {
  it('lets a rule upstream and a cache origin name a DNS name of the design, and nothing else that is no node', () => {
    expect(safeParseTopologyValue(design).ok).toBe(true);
    const outside = structuredClone(design);
    (outside.nodes?.[5] as { origins: string[] }).origins = ['api.elsewhere.example'];
    const result = safeParseTopologyValue(outside);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).toMatch(/origin \\"api\.elsewhere\.example\\" is not a node of this topology/);
  });

  it('the zod-free fast path takes the same names, and hands a name outside the zones to the full path', () => {
    expect(fastLoadTopologyValue(JSON.parse(JSON.stringify(design)))?.topology).toEqual(parsed(design));
    const outside = structuredClone(design);
    (outside.nodes?.[4] as { rules: { upstreams: string[] }[] }).rules[0]!.upstreams = ['api.elsewhere.example'];
    expect(fastLoadTopologyValue(outside)).toBeUndefined();
  });

  it('deleting a node drops it from the records (and its weight); a record left without a value goes; literals stay', () => {
    const doc = deleteNodes(parsed(design), { ids: ['web2'] });
    const zone = doc.nodes.find((n) => n.id === 'shop');
    expect(zone?.kind === 'dns-zone' && zone.records).toEqual([
      { name: 'api', type: 'A', ttl: 60, values: ['web1'], policy: 'weighted', weights: [3] },
      { name: 'lit', type: 'A', ttl: 60, values: ['203.0.113.7'], policy: 'simple' },
    ]);
    // The DNS names proxies and caches send to are not node ids: a delete leaves them.
    expect(doc.nodes.find((n) => n.id === 'gw')).toMatchObject({ rules: [{ upstreams: ['api.shop.example'] }] });
    expect(doc.nodes.find((n) => n.id === 'edge')).toMatchObject({ origins: ['api.shop.example'] });
  });

  it('a pasted proxy and cache keep their DNS-named upstreams', () => {
    const doc = parsed(design);
    const { doc: after, pasted } = pasteFragment(doc, { fragment: copyFragment(doc, ['gw', 'edge']) });
    const copies = after.nodes.filter((n) => pasted.includes(n.id));
    expect(copies.find((n) => n.kind === 'reverse-proxy')).toMatchObject({ rules: [{ upstreams: ['api.shop.example'] }] });
    expect(copies.find((n) => n.kind === 'cache')).toMatchObject({ origins: ['api.shop.example'] });
  });

  it('an edit to a name outside the zones is refused before it enters history', () => {
    expect(() => updateNode(parsed(design), { id: 'edge', patch: { origins: ['nowhere.example'] } })).toThrow(/origins\[0\] names "nowhere\.example", which is not a node/);
    expect(updateNode(parsed(design), { id: 'edge', patch: { origins: ['one.shop.example'] } }).nodes.find((n) => n.id === 'edge')).toMatchObject({ origins: ['one.shop.example'] });
  });
});
