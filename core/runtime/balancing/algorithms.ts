import type { BalancingAlgorithm } from '../services/types.js';

/** What an algorithm needs to know about one candidate target. */
export interface Candidate {
  readonly nodeId: string;
  /** >= 1 for candidates (weight-0 targets are never candidates). */
  readonly weight: number;
  /** Requests/connections in flight to it. */
  readonly active: number;
  /** Hash of the node id, precomputed for rendezvous hashing. */
  readonly idHash: number;
  /** Smooth weighted round robin's running weight (mutated by `pickSmoothWeighted`). */
  currentWeight: number;
}

/** Per-balancer state an algorithm keeps between picks. */
export interface PickState {
  /** Round-robin cursor. */
  next: number;
}

/** FNV-1a over a string: a cheap, well-spread 32-bit hash for addresses and ids. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Murmur3's finaliser: mixes a key hash with a target hash into a uniform score. */
function mix(a: number, b: number): number {
  let h = (a ^ Math.imul(b, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Plain rotation over the candidates. */
export function pickRoundRobin<C extends Candidate>(candidates: readonly C[], state: PickState): C | undefined {
  if (candidates.length === 0) return undefined;
  const index = state.next % candidates.length;
  state.next = (state.next + 1) % 1_000_000_007;
  return candidates[index];
}

/**
 * nginx's smooth weighted round robin: every pick adds each weight to its running value,
 * takes the largest and subtracts the total from it. Weights 5,1,1 give a a b a c a a
 * rather than a a a a a b c.
 */
export function pickSmoothWeighted<C extends Candidate>(candidates: readonly C[]): C | undefined {
  let best: C | undefined;
  let total = 0;
  for (const candidate of candidates) {
    candidate.currentWeight += candidate.weight;
    total += candidate.weight;
    if (best === undefined || candidate.currentWeight > best.currentWeight) best = candidate;
  }
  if (best !== undefined) best.currentWeight -= total;
  return best;
}

/**
 * Fewest in-flight requests relative to weight; ties rotate (starting from the cursor) so
 * an idle pool is not always answered by its first member.
 */
export function pickLeastConnections<C extends Candidate>(candidates: readonly C[], state: PickState): C | undefined {
  const n = candidates.length;
  if (n === 0) return undefined;
  const start = state.next % n;
  state.next = (state.next + 1) % 1_000_000_007;
  let best: C | undefined;
  let bestLoad = Infinity;
  for (let k = 0; k < n; k += 1) {
    const candidate = candidates[(start + k) % n] as C;
    const load = candidate.active / candidate.weight;
    if (load < bestLoad) {
      best = candidate;
      bestLoad = load;
    }
  }
  return best;
}

/**
 * Rendezvous (highest-random-weight) hashing of the client key: consistent, so removing
 * a target only moves the keys that were on it, and adding one moves about 1/n of them.
 */
export function pickSourceHash<C extends Candidate>(candidates: readonly C[], keyHash: number): C | undefined {
  let best: C | undefined;
  let bestScore = -1;
  for (const candidate of candidates) {
    const score = mix(keyHash, candidate.idHash);
    if (score > bestScore || (score === bestScore && best !== undefined && candidate.nodeId < best.nodeId)) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** Power of two random choices: sample two distinct candidates, keep the less loaded one. */
export function pickRandomTwo<C extends Candidate>(candidates: readonly C[], random: () => number): C | undefined {
  const n = candidates.length;
  if (n <= 1) return candidates[0];
  const i = Math.floor(random() * n) % n;
  let j = Math.floor(random() * (n - 1)) % (n - 1);
  if (j >= i) j += 1;
  const a = candidates[i] as C;
  const b = candidates[j] as C;
  return b.active / b.weight < a.active / a.weight ? b : a;
}

/** Dispatches to the named algorithm. `keyHash` is the client key's hash (source-hash only). */
export function pick<C extends Candidate>(
  algorithm: BalancingAlgorithm,
  candidates: readonly C[],
  state: PickState,
  keyHash: number,
  random: () => number,
): C | undefined {
  switch (algorithm) {
    case 'round-robin':
      return pickRoundRobin(candidates, state);
    case 'weighted-round-robin':
      return pickSmoothWeighted(candidates);
    case 'least-connections':
      return pickLeastConnections(candidates, state);
    case 'source-hash':
      return pickSourceHash(candidates, keyHash);
    case 'random-two':
      return pickRandomTwo(candidates, random);
  }
}
