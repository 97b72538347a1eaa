import { methods, parseMethodInput, type ShellMethodName } from './contract/index.js';
import type { ShellHandlers } from './handlers/types.js';

/**
 * Runs one desktop shell method (`app.*`) for a window: the input is checked against the
 * contract's schema first, exactly as the service checks its own methods, then the
 * window's handler runs. Rejects with `ApiError` (`bad-input` with JSON paths).
 */
export async function callShellMethod(handlers: ShellHandlers, method: ShellMethodName, input: unknown): Promise<unknown> {
  const parsed: unknown = parseMethodInput(method, methods[method].input, input);
  const handler = handlers[method] as (input: unknown) => unknown;
  return await handler(parsed);
}
