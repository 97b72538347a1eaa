// Judges one system against the lab: per probe (status, serving route, upstream path, cache
// HIT or not) and per group (round-robin counts, stickiness, the set of serving backends).
import { routeClass, type DesignFacts, type Entry } from './design-facts.js';
import { cacheClass, type Outcome, type Probe } from './probes.js';

/** One way a system answered a probe differently from the lab. */
export interface Difference {
  probe: Probe;
  field: 'status' | 'route' | 'upstream-path' | 'cache' | 'distribution' | 'stickiness' | 'spread';
  lab: string;
  other: string;
}

/** The comparison of one system with the lab on one design. */
export interface Comparison {
  probes: number;
  /** Probes whose every compared field agrees. */
  agreeing: number;
  groupChecks: number;
  groupAgreeing: number;
  differences: Difference[];
}

function entryOf(facts: DesignFacts, id: string): Entry {
  const entry = facts.entries.find((e) => e.id === id);
  if (!entry) throw new Error(`no entry ${id}`);
  return entry;
}

/** Per-probe fields that differ between the lab's outcome and another's. */
export function probeDifferences(facts: DesignFacts, probe: Probe, lab: Outcome, other: Outcome): Difference[] {
  const out: Difference[] = [];
  const diff = (field: Difference['field'], a: string, b: string): void => {
    if (a !== b) out.push({ probe, field, lab: a, other: b });
  };
  diff('status', String(lab.status), String(other.status));
  if (probe.check === 'hostile') return out;
  const entry = entryOf(facts, probe.entry);
  // A backend in several rules' pools fits each of them: the answers agree when some route fits both.
  const a = routeClass(entry, lab.servedBy);
  const b = routeClass(entry, other.servedBy);
  if (!routesOverlap(a, b)) out.push({ probe, field: 'route', lab: a, other: b });
  if (lab.upstreamPath !== undefined && other.upstreamPath !== undefined) diff('upstream-path', lab.upstreamPath, other.upstreamPath);
  if (probe.check === 'cache') diff('cache', cacheClass(lab.cache), cacheClass(other.cache));
  return out;
}

function routesOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  if (!a.startsWith('route ') || !b.startsWith('route ')) return false;
  const left = new Set(a.slice(6).split('|'));
  return b.slice(6).split('|').some((r) => left.has(r));
}

function groups(probes: readonly Probe[]): Map<string, Probe[]> {
  const out = new Map<string, Probe[]>();
  for (const probe of probes) {
    if (probe.group === undefined) continue;
    const key = `${probe.phase}|${probe.group}`;
    out.set(key, [...(out.get(key) ?? []), probe]);
  }
  return out;
}

function counts(probes: readonly Probe[], outcomes: ReadonlyMap<string, Outcome>): Map<string, number> {
  const out = new Map<string, number>();
  for (const probe of probes) {
    const served = outcomes.get(probe.id)?.servedBy ?? '-';
    out.set(served, (out.get(served) ?? 0) + 1);
  }
  return out;
}

const describeCounts = (c: Map<string, number>): string =>
  [...c].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(' ');

/** Each lane of a sticky group stays on one backend. */
function sticky(probes: readonly Probe[], outcomes: ReadonlyMap<string, Outcome>): { sticky: boolean; detail: string } {
  const lanes = new Map<string, Set<string>>();
  for (const probe of probes) {
    const served = outcomes.get(probe.id)?.servedBy ?? '-';
    lanes.set(probe.lane, (lanes.get(probe.lane) ?? new Set()).add(served));
  }
  const loose = [...lanes].filter(([, set]) => set.size !== 1 || set.has('-'));
  const servers = new Set([...lanes.values()].flatMap((s) => [...s]));
  return { sticky: loose.length === 0 && servers.size > 1, detail: `${lanes.size - loose.length}/${lanes.size} clients pinned over ${servers.size} backends` };
}

/** Group checks: counts within 10% (at least 1) of the lab's, stickiness, the same set of backends. */
function groupDifferences(probes: readonly Probe[], lab: ReadonlyMap<string, Outcome>, other: ReadonlyMap<string, Outcome>): { checks: number; differences: Difference[] } {
  const differences: Difference[] = [];
  let checks = 0;
  for (const members of groups(probes).values()) {
    const first = members[0] as Probe;
    checks += 1;
    if (first.check === 'distribution') {
      const a = counts(members, lab);
      const b = counts(members, other);
      const keys = new Set([...a.keys(), ...b.keys()]);
      const off = [...keys].some((k) => Math.abs((a.get(k) ?? 0) - (b.get(k) ?? 0)) > Math.max(1, Math.ceil(0.1 * (a.get(k) ?? 0))));
      if (off) differences.push({ probe: first, field: 'distribution', lab: describeCounts(a), other: describeCounts(b) });
    } else if (first.check === 'spread') {
      const a = [...counts(members, lab).keys()].sort().join(' ');
      const b = [...counts(members, other).keys()].sort().join(' ');
      if (a !== b) differences.push({ probe: first, field: 'spread', lab: a, other: b });
    } else if (first.check === 'sticky') {
      const a = sticky(members, lab);
      const b = sticky(members, other);
      if (a.sticky !== b.sticky) differences.push({ probe: first, field: 'stickiness', lab: a.detail, other: b.detail });
    }
  }
  return { checks, differences };
}

/** Compares one system's outcomes with the lab's over the whole corpus. */
export function compare(facts: DesignFacts, probes: readonly Probe[], lab: ReadonlyMap<string, Outcome>, other: ReadonlyMap<string, Outcome>): Comparison {
  const differences: Difference[] = [];
  let agreeing = 0;
  for (const probe of probes) {
    const a = lab.get(probe.id) ?? { status: 0, error: 'not sent' };
    const b = other.get(probe.id) ?? { status: 0, error: 'not sent' };
    const found = probeDifferences(facts, probe, a, b);
    if (found.length === 0) agreeing += 1;
    differences.push(...found);
  }
  const group = groupDifferences(probes, lab, other);
  return { probes: probes.length, agreeing, groupChecks: group.checks, groupAgreeing: group.checks - group.differences.length, differences: [...differences, ...group.differences] };
}
