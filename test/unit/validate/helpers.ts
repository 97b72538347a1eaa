import { readFileSync } from 'node:fs';
import { parseTopology, type Provider, type Topology, type TopologyNode } from '../../../core/model/index.js';
import { validateTopology, type Diagnostic } from '../../../core/validate/index.js';

/** A clean fixture from test/fixtures/diagnostics (loaded through the real schema). */
export function fixture(name: 'base' | 'ipv6'): Topology {
  return parseTopology(readFileSync(new URL(`../../fixtures/diagnostics/${name}.topolab.json`, import.meta.url), 'utf8'));
}

/** An edit of a topology, applied to a fresh copy. */
export type Mutation = (topology: Topology) => void;

/** A copy of `base` with `mutate` applied. */
export function variant(base: Topology, mutate: Mutation): Topology {
  const copy = structuredClone(base);
  mutate(copy);
  return copy;
}

/** The node with this id, for editing in a mutation (throws when missing: a broken test). */
export function nodeById(topology: Topology, id: string): Record<string, unknown> {
  const node = topology.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`test fixture has no node ${id}`);
  return node as unknown as Record<string, unknown>;
}

/** Sets fields of a node (`undefined` deletes the field). */
export function patch(id: string, fields: Record<string, unknown>): Mutation {
  return (topology) => {
    const node = nodeById(topology, id);
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) delete node[key];
      else node[key] = value;
    }
  };
}

/** Appends nodes (they get indexes 16, 17, ... in the base fixture). */
export function add(...nodes: TopologyNode[]): Mutation {
  return (topology) => {
    topology.nodes.push(...structuredClone(nodes));
  };
}

/** Applies several mutations in order. */
export function all(...mutations: Mutation[]): Mutation {
  return (topology) => mutations.forEach((m) => m(topology));
}

export function provider(id: Provider): Mutation {
  return (topology) => {
    topology.provider = id;
  };
}

export const same: Mutation = () => undefined;

/** Diagnostics of one code. */
export function diagnosticsOf(topology: Topology, code: Diagnostic['code']): Diagnostic[] {
  return validateTopology(topology).filter((d) => d.code === code);
}

/** Codes found, for "does not trigger" checks. */
export function codesOf(topology: Topology): string[] {
  return validateTopology(topology).map((d) => d.code);
}
