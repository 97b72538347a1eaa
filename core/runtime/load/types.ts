/** The summary of a load run and its latency percentiles: the contract's shapes (core/api/contract/lab-results.ts). */
export type { LoadLatency, LoadResult } from '../../api/contract/lab-results.js';

/** Reported a few times a second while a run goes on. */
export interface LoadProgress {
  completed: number;
  elapsedMs: number;
  rps: number;
  errors: number;
}

/** What one request looks like and where it goes: shared by a load run and a single request. */
export interface RequestSpec {
  /** Where to connect: the target's loopback URL, or a forward proxy's. */
  url: string;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /**
   * With a forward proxy: the absolute-form target (`http://10.0.2.10:8080`) sent in the
   * request line to `url`, which must then be the proxy's address.
   */
  viaProxyTo?: string;
  /** For an `https://` url: the CAs to trust and the SNI name to send and verify (the lab's own targets only). */
  tls?: { ca: string[]; servername: string };
}

/** What to send, how much, and from where. */
export interface LoadOptions extends RequestSpec {
  /** Total requests (default 100 when no duration is given). */
  requests?: number;
  durationSeconds?: number;
  /** Requests in flight at once, and the connection bound of the pool. Default 10. */
  concurrency?: number;
  /** Source addresses to bind (Linux); connections are spread over them. */
  sourceAddresses?: readonly string[];
  /** Per-request timeout until the response headers arrive, ms. Default 10 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: LoadProgress) => void;
  /** A fixed interval; by default every 50 ms for the first 2 s, then every 250 ms (`progressStepMs`). */
  progressIntervalMs?: number;
  /** Paces the run to at most this many requests per second overall (default: as fast as it goes). */
  rps?: number;
  /** Called once per finished request (scenarios record every request to check assertions). */
  onRequest?: (record: RequestOutcome) => void;
  /** The designed address `url` stands for, counted in `byAddress`. */
  address?: string;
  /**
   * Resolves where each request goes, instead of `url`: the addresses of a DNS answer in the
   * order a client tries them. A candidate that cannot be connected to (`connectError`, or a
   * refused connection) is skipped for the next, as a browser does.
   */
  candidates?: () => Promise<LoadCandidate[]>;
}

/** One address a request may be sent to: its lab URL, or why no connection can be made there. */
export type LoadCandidate = { address: string; url: string } | { address: string; connectError: string };

/** One finished request of a run. */
export interface RequestOutcome {
  /** When it was sent, ms since the run started. */
  sentAtMs: number;
  /**
   * When it was sent, as `performance.timeOrigin + performance.now()` of the process that
   * sent it: a millisecond clock that processes of one machine share, so a run in another
   * process (the kernel lab's namespaces) can be laid on the caller's timeline.
   */
  sentAtEpochMs: number;
  /** The status code, or `error` when no response came. */
  status: number | 'error';
  /** First `x-served-by` entry of the response, when present. */
  servedBy?: string;
  /** The designed address that answered, when known. */
  address?: string;
  latencyMs: number;
}
