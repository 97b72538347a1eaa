import type { IncomingMessage } from 'node:http';
import { MAX_TOPOLOGY_TEXT } from '../contract/index.js';

/**
 * The largest request body accepted. A topology text at MAX_TOPOLOGY_TEXT grows when
 * JSON-escaped (quotes and newlines double), so the body may be up to twice as large;
 * a transport must not refuse what the contract accepts.
 */
export const MAX_BODY_BYTES = 2 * MAX_TOPOLOGY_TEXT + 64 * 1024;

/** Bodies up to this size are read at once; larger ones wait their turn in a `BodyBudget`. */
export const SMALL_BODY_BYTES = 1024 * 1024;

/** The body was larger than allowed. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the request body is larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads a request body up to `limit` bytes. Refuses early on a declared Content-Length
 * over the limit (without reading it), and stops collecting once a streamed body crosses
 * it. A declared length is read straight into one buffer of that size: no chunk list and
 * no second copy, which for a 120 MiB save is 120 MiB less at the peak.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
    if (declared !== undefined && Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLargeError(limit));
      return;
    }
    const whole = declared !== undefined && Number.isFinite(declared) ? Buffer.allocUnsafe(declared) : undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      if (size + chunk.length > (whole?.length ?? limit)) {
        // More than declared is the parser's to refuse; more than the limit is ours.
        over = true;
        chunks.length = 0;
        reject(new BodyTooLargeError(limit));
        return;
      }
      if (whole) chunk.copy(whole, size);
      else chunks.push(chunk);
      size += chunk.length;
    });
    req.on('end', () => {
      if (over) return;
      resolve(whole ? whole.subarray(0, size) : Buffer.concat(chunks, size));
    });
    req.on('error', reject);
  });
}

/** Why a body could not get a turn. */
export class BodyQueueFullError extends Error {
  constructor(readonly waiting: number) {
    super(`${waiting} large requests are already waiting; try again shortly`);
    this.name = 'BodyQueueFullError';
  }
}

/**
 * Bounds the memory that request bodies may take at once. A call with a large body (over
 * `smallBytes`, or of unknown length) holds a share of `budgetBytes` from before its body
 * is read until its answer is sent, since decoding, parsing and saving it cost several
 * times its size; calls that do not fit wait in FIFO order without reading (TCP holds
 * their bytes back), and beyond `maxWaiting` waiters the call is refused (503). Small
 * bodies (every ordinary call) never wait.
 */
export class BodyBudget {
  private used = 0;
  private readonly waiting: { bytes: number; start: () => void }[] = [];

  constructor(
    private readonly budgetBytes: number,
    private readonly smallBytes = SMALL_BODY_BYTES,
    private readonly maxWaiting = 16,
  ) {}

  /**
   * Resolves with the function that gives the share back (call it once the answer is sent)
   * when `bytes` (the declared length, or undefined when unknown) fit; rejects with
   * `BodyQueueFullError` when too many wait already. `abandoned` drops a waiter whose
   * client went away.
   */
  acquire(bytes: number | undefined, abandoned?: AbortSignal): Promise<() => void> {
    if (bytes !== undefined && bytes <= this.smallBytes) return Promise.resolve(() => undefined);
    const share = Math.min(this.budgetBytes, bytes ?? this.budgetBytes);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.used -= share;
      this.next();
    };
    if (this.waiting.length === 0 && this.used + share <= this.budgetBytes) {
      this.used += share;
      return Promise.resolve(release);
    }
    if (this.waiting.length >= this.maxWaiting) return Promise.reject(new BodyQueueFullError(this.waiting.length));
    return new Promise((resolve, reject) => {
      const entry = {
        bytes: share,
        start: () => {
          abandoned?.removeEventListener('abort', onAbort);
          this.used += share;
          resolve(release);
        },
      };
      const onAbort = (): void => {
        const at = this.waiting.indexOf(entry);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(new Error('the client went away while waiting'));
        this.next();
      };
      abandoned?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  /** Bytes held now (for tests and diagnostics). */
  get held(): number {
    return this.used;
  }

  private next(): void {
    while (this.waiting.length > 0) {
      const first = this.waiting[0] as { bytes: number; start: () => void };
      if (this.used + first.bytes > this.budgetBytes) return;
      this.waiting.shift();
      first.start();
    }
  }
}
