/**
 * The DNS server's in-memory zone model: what the lab's DNS answers from. Built from the
 * design's `dns-zone` nodes by the lab (or directly by tests); independent of the file
 * format so the server can be tested on its own.
 */
import type { HealthCheck } from '../../model/types.js';

/** Record types a zone holds (the design's `type`). */
export type DnsRecordType = 'A' | 'AAAA' | 'CNAME' | 'TXT';

/** Route 53's routing policies. */
export type RoutingPolicy = 'simple' | 'weighted' | 'failover' | 'multivalue' | 'latency';

/** One value of a record set: an address, a CNAME target or a text, with what the policy needs. */
export interface ZoneValue {
  /** The answer data: an address (A/AAAA), a full name (CNAME) or a text (TXT). */
  data: string;
  /** The design node the value names, when it names one (for health checks and messages). */
  nodeId?: string;
  /** `weighted`: 0–255; 0 is answered only when every non-zero value is unhealthy. */
  weight?: number;
  /** `latency`: the AWS region the value stands in (its node's VPC region). */
  region?: string;
}

/** The records of one name and type, answered by one routing policy. */
export interface ZoneRecordSet {
  /** Full name, lower case, no trailing dot. */
  name: string;
  type: DnsRecordType;
  ttl: number;
  policy: RoutingPolicy;
  /** `failover`: the first value is the primary, the second the secondary. */
  values: ZoneValue[];
  /** Checked per value; values of a set without one are always healthy (as in Route 53). */
  healthCheck?: HealthCheck;
}

/** A hosted zone. A private one answers only clients inside its VPCs' blocks. */
export interface ZoneSpec {
  /** The design node id of the zone. */
  id: string;
  /** The apex, lower case, no trailing dot. */
  name: string;
  /** A private hosted zone: the VPC it is associated with and that VPC's address blocks. */
  private?: { vpcId: string; cidrs: string[] };
  records: ZoneRecordSet[];
}

/** What the server knows about who asks: the client's designed address (EDNS client subnet) and where it is. */
export interface ClientContext {
  /** The designed address of the asking client, when the query carried it. */
  address?: string;
  /** The VPC the address lies in. */
  vpcId?: string;
  /** The AWS region of that VPC (for latency records). */
  region?: string;
}

/** Where a designed client address lies: its VPC and that VPC's region (undefined: the internet). */
export type LocateClient = (address: string) => { vpcId?: string; region?: string } | undefined;

/** The key of one value's health: `zoneId/recordIndex/valueIndex`. */
export function valueKey(zoneId: string, recordIndex: number, valueIndex: number): string {
  return `${zoneId}/${recordIndex}/${valueIndex}`;
}

/** The SOA every zone answers with: Route 53's defaults, under a name-server name that cannot exist (RFC 6761 `.invalid`). */
export const SOA_DEFAULTS = {
  mname: 'ns.topolab.invalid',
  /** TTL of the SOA record itself (Route 53: 900 s). */
  ttl: 900,
  refresh: 7200,
  retry: 900,
  expire: 1_209_600,
  minimum: 86_400,
} as const;

/** Negative answers are cached for the smaller of the SOA's TTL and its minimum (RFC 2308 §5). */
export const NEGATIVE_TTL = Math.min(SOA_DEFAULTS.ttl, SOA_DEFAULTS.minimum);
