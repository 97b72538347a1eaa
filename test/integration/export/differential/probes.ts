// What the differential test sends and what it reads back: probes (one request each, with
// the lane that orders it and the check that judges it) and outcomes.

/** An HTTP request sent with Node's client on a fresh connection (so balancers see it as new); a cache lane's requests share one. */
export interface HttpSpec {
  type: 'http';
  method: string;
  path: string;
  /** The Host header (default: the entry's designed address). */
  host?: string;
  headers?: Record<string, string>;
  /** A request body (sent with Content-Length). */
  body?: string;
  /** Local source address (127.x), for source-hash balancing. */
  from?: string;
}

/** Bytes written as-is on a fresh TCP connection: malformed and boundary requests. */
export interface RawSpec {
  type: 'raw';
  bytes: string;
}

/**
 * How a probe is judged beyond its status and the pool that answered:
 * `route` compares the serving route and the upstream path per request;
 * `distribution` adds a per-backend count check over its group (round robin, weights);
 * `spread` adds a check that the same backends serve the group (random choices);
 * `sticky` adds a check that every lane of the group stays on one backend;
 * `cache` adds the HIT / not-HIT sequence; `hostile` compares the status only.
 */
export type ProbeCheck = 'route' | 'distribution' | 'spread' | 'sticky' | 'cache' | 'hostile';

/** One request of the corpus. */
export interface Probe {
  /** Unique within a design; names the request in the agreement table and in known differences. */
  id: string;
  /** The node it is sent to (its listener in each system). */
  entry: string;
  /** Probes of one lane run in order, lanes run side by side. */
  lane: string;
  /** 0 before the backend stop, 1 after it. */
  phase: 0 | 1;
  spec: HttpSpec | RawSpec;
  check: ProbeCheck;
  /** Distribution / stickiness group. */
  group?: string;
  /** The lane keeps cookies (sticky sessions). */
  cookies?: boolean;
}

/** What came back. */
export interface Outcome {
  /** 0 when no response arrived (connection closed or timed out). */
  status: number;
  /** `x-served-by` of a backend of the design (not of a proxy answering for itself). */
  servedBy?: string;
  /** `X-Cache` as sent. */
  cache?: string;
  /** The path the backend saw (its JSON echo). */
  upstreamPath?: string;
  setCookie?: string[];
  /** The Host and Authorization the backend saw (its JSON echo): whose answer this is. */
  echoed?: { host?: string; authorization?: string };
  /** `x-topolab-blocked-by`: the lab refused the flow by the design's routing. */
  blockedBy?: string;
  error?: string;
}

/** HIT, or anything else: MISS, REVALIDATED, BYPASS, EXPIRED all went to the origin. */
export function cacheClass(value: string | undefined): string {
  return value === 'HIT' ? 'HIT' : value === undefined ? '-' : 'not-HIT';
}
