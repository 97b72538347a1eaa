import { ApiError, type ApiErrorBody, type ApiErrorCode, type ApiRefusal } from '../../core/api/contract/index.js';

const CODES: readonly ApiErrorCode[] = ['bad-input', 'unknown-method', 'not-found', 'forbidden', 'conflict', 'failed'];

/** Whether a value is an error body `{ code, message, issues? }` with a known code. */
function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === 'string' && (CODES as readonly string[]).includes(code) && typeof message === 'string';
}

const REFUSAL_FIELDS = ['from', 'to', 'blockedBy', 'code', 'reason'] as const;

/** The error body's `refusal` when it has every field as a string, else nothing (a malformed one is dropped, not trusted). */
function refusalOf(value: unknown): ApiRefusal | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (!REFUSAL_FIELDS.every((key) => typeof record[key] === 'string')) return undefined;
  return Object.fromEntries(REFUSAL_FIELDS.map((key) => [key, record[key]])) as unknown as ApiRefusal;
}

/**
 * Turns a reply frame (`{ result }` or `{ error }`, the same over HTTP and IPC) into the
 * result, or throws the `ApiError` it carries. Anything else is a broken transport.
 */
export function unwrapReply(reply: unknown, context: string): unknown {
  if (typeof reply === 'object' && reply !== null) {
    if ('error' in reply) {
      const body = (reply as { error: unknown }).error;
      if (isErrorBody(body)) {
        const { refusal, ...rest } = body;
        const checked = refusalOf(refusal);
        throw ApiError.fromBody(checked ? { ...rest, refusal: checked } : rest);
      }
    } else if ('result' in reply) {
      return (reply as { result: unknown }).result;
    }
  }
  throw new ApiError('failed', `${context}: the service sent an answer this app does not understand`);
}
