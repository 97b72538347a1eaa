/** Ports of traffic filter rules (the file format's `ports` text): parsing and range arithmetic. Pure. */
/** An inclusive range of ports, `from` ≤ `to`, both 0 to 65535. */
export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/** Every port. */
export const ALL_PORTS: PortRange = { from: 0, to: 65535 };

/** Why a `ports` text was refused: a sentence that ends the message of a diagnostic. */
export type PortsResult = { ok: true; range: PortRange } | { ok: false; problem: string };

const PORT = /^(0|[1-9]\d{0,4})$/;

/**
 * Parses a rule's `ports`: one port (`"443"`) or a range (`"1024-65535"`), 0 to 65535, low
 * to high, no spaces, no leading zeros, no sign. Never throws.
 */
export function safeParsePorts(text: string): PortsResult {
  const parts = text.split('-');
  if (parts.length > 2 || parts.some((p) => !PORT.test(p))) {
    return { ok: false, problem: `"${text}" is not a port or a range of ports: write "443" or "1024-65535" (digits only, no spaces or leading zeros)` };
  }
  const [from, to] = [Number(parts[0]), Number(parts[1] ?? parts[0])];
  if (from > 65535 || to > 65535) return { ok: false, problem: `"${text}" is out of range: ports run from 0 to 65535` };
  if (from > to) return { ok: false, problem: `"${text}" runs backwards: write the low port first ("${to}-${from}")` };
  return { ok: true, range: { from, to } };
}

/** Parses a rule's `ports`; throws with the reason when it is not one (see `safeParsePorts`). */
export function parsePorts(text: string): PortRange {
  const result = safeParsePorts(text);
  if (!result.ok) throw new Error(result.problem);
  return result.range;
}

/** `"443"`, `"1024-65535"`. */
export function formatPorts(range: PortRange): string {
  return range.from === range.to ? String(range.from) : `${range.from}-${range.to}`;
}

/** Whether two ranges share a port. */
export function portsOverlap(a: PortRange, b: PortRange): boolean {
  return a.from <= b.to && b.from <= a.to;
}

/** Whether `outer` holds every port of `inner`. */
export function portsCover(outer: PortRange, inner: PortRange): boolean {
  return outer.from <= inner.from && inner.to <= outer.to;
}

/** `ranges` minus `cut`, in order (the ports still undecided once a rule decided `cut`). */
export function subtractPorts(ranges: readonly PortRange[], cut: PortRange): PortRange[] {
  const out: PortRange[] = [];
  for (const range of ranges) {
    if (!portsOverlap(range, cut)) {
      out.push(range);
      continue;
    }
    if (range.from < cut.from) out.push({ from: range.from, to: cut.from - 1 });
    if (range.to > cut.to) out.push({ from: cut.to + 1, to: range.to });
  }
  return out;
}

/** The parts of `ranges` inside `window`. */
export function intersectPorts(ranges: readonly PortRange[], window: PortRange): PortRange[] {
  const out: PortRange[] = [];
  for (const range of ranges) {
    if (portsOverlap(range, window)) out.push({ from: Math.max(range.from, window.from), to: Math.min(range.to, window.to) });
  }
  return out;
}
