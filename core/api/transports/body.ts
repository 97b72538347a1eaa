import type { IncomingMessage } from 'node:http';
import { MAX_TOPOLOGY_TEXT } from '../contract/index.js';

/**
 * The largest request body accepted. A topology text at MAX_TOPOLOGY_TEXT grows when
 * JSON-escaped (quotes and newlines double), so the body may be up to twice as large;
 * a transport must not refuse what the contract accepts.
 */
export const MAX_BODY_BYTES = 2 * MAX_TOPOLOGY_TEXT + 64 * 1024;

/** The body was larger than allowed. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the request body is larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads a request body up to `limit` bytes. Refuses early on a declared Content-Length
 * over the limit, and stops reading (discarding the rest) once a streamed body crosses it.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new BodyTooLargeError(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', reject);
  });
}
