import type { ApiErrorCode } from '../contract/index.js';

/** The HTTP status of each API error code; clients should branch on the code in the body, not the status. */
export const HTTP_STATUS: Readonly<Record<ApiErrorCode, number>> = {
  'bad-input': 400,
  'unknown-method': 404,
  'not-found': 404,
  forbidden: 403,
  conflict: 409,
  failed: 500,
};

/** The HTTP status for an API error code. */
export function httpStatusFor(code: ApiErrorCode): number {
  return HTTP_STATUS[code];
}
