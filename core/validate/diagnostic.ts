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
  /** JSON path of the offending field, e.g. `nodes[3].cidr`. */
  path?: string;
  fix?: DiagnosticFix;
}
