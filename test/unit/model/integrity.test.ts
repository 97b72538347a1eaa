/**
 * The linear reference check (core/model/integrity.ts) against the obvious version it
 * replaced: a map of first ids, then a fresh walk up the parent chain from every node.
 * Random small documents with repeated ids, unknown references and parent cycles.
 */
import { describe, expect, it } from 'vitest';
import { referenceIssues, type ReferenceIssue } from '../../../core/model/integrity.js';
import { RESOLVING_REFERENCES } from '../../../core/model/kinds/index.js';
import type { Topology, TopologyNode } from '../../../core/model/types.js';
import { seededRandom } from '../../support/random.js';

function naive(doc: Topology): ReferenceIssue[] {
  const issues: ReferenceIssue[] = [];
  const index = new Map<string, number>();
  doc.nodes.forEach((node, i) => {
    const seen = index.get(node.id);
    if (seen !== undefined) issues.push({ path: ['nodes', i, 'id'], message: `duplicate node id "${node.id}" (also used by nodes[${seen}])` });
    else index.set(node.id, i);
  });
  const ref = (id: string | undefined, path: (string | number)[], what: string): void => {
    if (id !== undefined && !index.has(id)) issues.push({ path, message: `${what} "${id}" is not a node of this topology` });
  };
  doc.nodes.forEach((node, i) => {
    ref(node.parent, ['nodes', i, 'parent'], 'parent');
    if (node.parent === node.id) issues.push({ path: ['nodes', i, 'parent'], message: `node "${node.id}" cannot contain itself` });
    if (node.kind === 'route-table') node.subnets.forEach((s, j) => ref(s, ['nodes', i, 'subnets', j], 'associated subnet'));
  });
  const edgeIds = new Set<string>();
  doc.edges.forEach((edge, i) => {
    if (edgeIds.has(edge.id)) issues.push({ path: ['edges', i, 'id'], message: `duplicate edge id "${edge.id}"` });
    edgeIds.add(edge.id);
    ref(edge.from, ['edges', i, 'from'], 'edge source');
    ref(edge.to, ['edges', i, 'to'], 'edge target');
  });
  for (const id of Object.keys(doc.layout)) if (!index.has(id)) issues.push({ path: ['layout', id], message: `layout entry for "${id}", which is not a node` });
  for (const node of doc.nodes) {
    const seen = new Set([node.id]);
    for (let current = node.parent; current !== undefined; current = doc.nodes[index.get(current) ?? -1]?.parent) {
      if (seen.has(current)) {
        issues.push({ path: ['nodes', index.get(node.id) ?? 0, 'parent'], message: `parent chain of "${node.id}" loops back on itself` });
        break;
      }
      seen.add(current);
    }
  }
  return issues;
}

describe('referenceIssues', () => {
  it('finds exactly what a walk from every node finds, on 5,000 random documents', () => {
    let withIssues = 0;
    for (let seed = 1; seed <= 5000; seed++) {
      const random = seededRandom(seed);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
      const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
      const nodes = Array.from({ length: 1 + Math.floor(random() * 9) }, (): TopologyNode => {
        const parent = random() < 0.7 ? `${pick(ids)}${random() < 0.1 ? 'x' : ''}` : undefined;
        const base = { id: pick(ids), ...(parent !== undefined ? { parent } : {}) };
        return random() < 0.2 ? { ...base, kind: 'route-table', subnets: random() < 0.5 ? ['a', 'zz'] : [], routes: [] } : { ...base, kind: 'vpc', cidr: '10.0.0.0/16' };
      });
      const edges = random() < 0.3 ? [{ id: 'e', from: 'a', to: 'q' }, { id: 'e', from: 'b', to: 'a' }] : [];
      const layout: Topology['layout'] = random() < 0.3 ? { a: { x: 0, y: 0 }, q: { x: 0, y: 0 } } : {};
      const doc: Topology = { schema: 'topolab/1', name: 'random', provider: 'aws', nodes, edges, layout };
      const expected = naive(doc);
      if (expected.length > 0) withIssues++;
      expect(referenceIssues(doc, RESOLVING_REFERENCES), `seed ${seed}`).toEqual(expected);
    }
    expect(withIssues).toBeGreaterThan(1000);
  }, 30_000);

  it('walks a chain of 100,000 nested nodes once, and finds a cycle at its end', () => {
    const nodes: TopologyNode[] = Array.from({ length: 100_000 }, (_, i) => ({ id: `n${i}`, kind: 'vpc', cidr: '10.0.0.0/16', ...(i > 0 ? { parent: `n${i - 1}` } : {}) }));
    const doc: Topology = { schema: 'topolab/1', name: 'chain', provider: 'aws', nodes, edges: [], layout: {} };
    expect(referenceIssues(doc, RESOLVING_REFERENCES)).toEqual([]);
    nodes[0] = { ...nodes[0]!, parent: 'n99999' };
    expect(referenceIssues(doc, RESOLVING_REFERENCES)).toHaveLength(100_000);
  });
});
