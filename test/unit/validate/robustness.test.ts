import { describe, expect, it } from 'vitest';
import type { Topology } from '../../../core/model/index.js';
import { DIAGNOSTIC_CODES, EDGE_ID_PATH_CODES, validateTopology } from '../../../core/validate/index.js';
import { fixture } from './helpers.js';

/**
 * The validator never throws, even on input that skipped the schema (the canvas validates
 * half-edited documents), and every diagnostic it returns is well formed.
 */
const CIDRS = ['10.0.0.0/16', '10.0.1.5/24', '', '10.0.0.0', '::/0', 'fd00::/64', '999.0.0.0/8', '0.0.0.0/0', '10.0.0.0/33', 'x', '10.0.1.0/28'];
const IPS = ['10.0.1.1', '10.0.0.10', 'fd00::1', '1.2.3', '', '10.0.1.255', '203.0.113.7'];

function mutate(base: Topology, seed: number): Topology {
  let state = seed;
  const random = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
  const t = structuredClone(base);
  const ids = t.nodes.map((n) => n.id).concat(['ghost']);
  for (let step = 0; step < 4; step++) {
    const node = t.nodes[random(t.nodes.length)] as unknown as Record<string, unknown>;
    switch (random(7)) {
      case 0:
        node['parent'] = ids[random(ids.length)];
        break;
      case 1:
        if ('cidr' in node) node['cidr'] = CIDRS[random(CIDRS.length)];
        break;
      case 2:
        node['ip'] = IPS[random(IPS.length)];
        break;
      case 3:
        if (Array.isArray(node['routes'])) node['routes'] = [{ destination: CIDRS[random(CIDRS.length)], target: ids[random(ids.length)] }];
        break;
      case 4:
        if (Array.isArray(node['subnets'])) node['subnets'] = [ids[random(ids.length)], ids[random(ids.length)]];
        break;
      case 5:
        t.edges.push({ id: `e${step}`, from: ids[random(ids.length)]!, to: ids[random(ids.length)]! });
        break;
      default:
        delete node['parent'];
    }
  }
  return t;
}

describe('validateTopology on arbitrary edits', () => {
  const base = fixture('base');
  it('never throws and returns well-formed diagnostics (400 seeded random edits)', () => {
    const codes = new Set<string>(DIAGNOSTIC_CODES);
    for (let seed = 1; seed <= 400; seed++) {
      const topology = mutate(base, seed);
      const found = validateTopology(topology);
      for (const d of found) {
        expect(codes.has(d.code), `seed ${seed}: ${d.code}`).toBe(true);
        expect(['error', 'warning', 'info']).toContain(d.severity);
        expect(d.message.length).toBeGreaterThan(10);
        expect(d.nodeIds.length + (d.path?.startsWith('edges[') ? 1 : 0)).toBeGreaterThan(0);
        // A JSON path, except connection-blocked's, which is the id of one of the design's edges.
        if (EDGE_ID_PATH_CODES.has(d.code)) expect(topology.edges.map((e) => e.id)).toContain(d.path);
        else expect(d.path ?? '').toMatch(/^(nodes|edges)\[\d+\]/);
      }
    }
  });
});
