import { getApiClient } from '../api/index.js';
import { ApiError, isMethodName, type ApiClient, type MethodInput, type MethodName, type MethodOutput } from '../../core/api/contract/index.js';

/** The API client (HTTP + WebSocket to `topolab serve`, or the Electron bridge), or `null` when neither is there. */
export function apiClient(): ApiClient | null {
  try {
    return getApiClient();
  } catch {
    return null;
  }
}

/** Calls a method of the contract; rejects with ApiError when there is no transport. */
export async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const api = apiClient();
  if (!api) throw new ApiError('failed', 'No connection to the Topolab service: start the app with `topolab serve` or the desktop app.');
  return api.call(method, input);
}

/** Whether the contract built into this renderer has a method (areas that land later check first). */
export function hasMethod(name: string): name is MethodName {
  return isMethodName(name);
}

/** A readable message for any error a call may reject with. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The stable code of an ApiError (or of a plain `{ code }` body), if any. */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof ApiError) return error.code;
  if (error && typeof error === 'object' && typeof (error as { code?: unknown }).code === 'string') return (error as { code: string }).code;
  return undefined;
}
