import type { z } from 'zod';
import { formatPath } from '../../model/load.js';
import { ApiError } from './errors.js';

/**
 * Checks an input against a method's schema, as every edge does before anything runs:
 * the parsed input, or `bad-input` naming the JSON path of each problem. Shared by the
 * service and the desktop shell, so both refuse the same inputs with the same error.
 */
export function parseMethodInput<S extends z.ZodType>(method: string, schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  throw new ApiError('bad-input', `invalid input for ${method}: ${issues.map((i) => `${i.path || '(input)'}: ${i.message}`).slice(0, 5).join('; ')}`, issues);
}
