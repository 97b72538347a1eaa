/** Every stable diagnostic code. Documented, with an example each, in docs/diagnostics.md. */
export const DIAGNOSTIC_CODES = [
  'cidr-invalid',
  'cidr-host-bits',
  'ip-invalid',
  'vpc-size',
  'vpc-overlap',
  'vpc-not-private',
  'vpc-secondary-overlap',
  'subnet-size',
  'subnet-outside-vpc',
  'subnet-overlap',
  'subnet-too-small',
  'subnet-full',
  'ip-outside-subnet',
  'ip-reserved',
  'ip-duplicate',
  'ip-missing',
  'parent-invalid',
  'route-table-missing',
  'route-table-multiple',
  'route-table-foreign-subnet',
  'route-target-missing',
  'route-target-foreign',
  'route-overlap',
  'route-destination-local',
  'nat-in-private-subnet',
  'nat-missing-igw',
  'igw-multiple',
  'public-lb-in-private-subnet',
  'peering-overlap',
  'peering-self',
  'edge-invalid',
  'connection-blocked',
  'lb-no-targets',
  'alb-single-zone',
  'asg-size',
  'reference-kind',
  'sg-rule-invalid',
  'sg-reference-invalid',
  'sg-quota',
  'nacl-rule-invalid',
  'nacl-rule-duplicate',
  'nacl-quota',
  'nacl-subnet-conflict',
  'default-duplicate',
  'nacl-return-missing',
  'dns-name-invalid',
  'dns-zone-duplicate',
  'dns-private-zone-parent',
  'dns-record-duplicate',
  'dns-cname-apex',
  'dns-cname-conflict',
  'dns-unknown-node',
  'dns-value-invalid',
  'dns-ttl-range',
  'dns-policy-values',
  'dns-health-check-ignored',
  'header-invalid',
  'gateway-invalid',
] as const;

/** One of the stable codes above. */
export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

/** `error`: cannot work as drawn (validate exits 1); `warning`: works, probably not as meant; `info`. */
export type Severity = 'error' | 'warning' | 'info';

/** A suggested edit that resolves the problem: set `field` of node `nodeId` to `value`. */
export interface DiagnosticFix {
  /** What the fix does, e.g. "Use 10.0.1.0/24". */
  title: string;
  nodeId: string;
  field: string;
  value: unknown;
}

/** One problem found in a topology, explained for a person and located for a program. */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** The nodes the problem is about (first: the one to select). */
  nodeIds: string[];
  /**
   * JSON path of the offending field, e.g. `nodes[3].cidr`; for a code of
   * `EDGE_ID_PATH_CODES` (`connection-blocked`), the id of the drawn edge, e.g. `e-web-db`.
   */
  path?: string;
  fix?: DiagnosticFix;
}

/** The codes whose `path` is the id of the drawn edge they are about, not a JSON path (issue 16's contract for `connection-blocked`). */
export const EDGE_ID_PATH_CODES: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>(['connection-blocked']);

/**
 * The id of the drawn edge a diagnostic is about, if any: its `path` for a code of
 * `EDGE_ID_PATH_CODES`, else the edge a JSON path `edges[i]...` points into (`edgeIds`: the
 * design's edge ids in file order; `known`: the same as a set, for callers that look up many).
 */
export function diagnosticEdgeId(diagnostic: Diagnostic, edgeIds: readonly string[], known: ReadonlySet<string> = new Set(edgeIds)): string | undefined {
  if (diagnostic.path === undefined) return undefined;
  if (EDGE_ID_PATH_CODES.has(diagnostic.code)) return known.has(diagnostic.path) ? diagnostic.path : undefined;
  const match = /^edges\[(\d+)\]/.exec(diagnostic.path);
  return match ? edgeIds[Number(match[1])] : undefined;
}

/** Where a diagnostic points, for a person: `edge e1` for an edge id, else the JSON path. */
export function diagnosticLocation(diagnostic: Diagnostic): string | undefined {
  if (diagnostic.path === undefined) return undefined;
  return EDGE_ID_PATH_CODES.has(diagnostic.code) ? `edge ${diagnostic.path}` : diagnostic.path;
}

/**
 * Errors the live lab runs a design with, because running it shows them: a blocked
 * connection is answered as the network would (refused, naming its blocker), exactly as
 * when a route is dropped while it runs. The app asks before launching with them, as with
 * warnings; every other error refuses the launch.
 */
export const LAB_RUNS_ANYWAY: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>(['connection-blocked']);
