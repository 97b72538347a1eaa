import { z } from 'zod';
import { formatPath } from '../../model/load.js';
import { isParsedTopology, type ParsedTopology } from '../../model/parsed.js';
import { ApiError } from './errors.js';

/** A topology the model's parser sealed: taken as it is (it passed a stricter check, and is frozen). */
const SealedTopology = z.custom<ParsedTopology>(isParsedTopology);

/** Per method schema with a `topology` field: the same schema taking a sealed topology as it is. */
const takingSealed = new WeakMap<z.ZodType, z.ZodType>();

/**
 * The schema to check an input with. An input whose `topology` is one the model's parser
 * sealed (`topolab up FILE` parsed the file once) keeps that object: parsing it again would
 * only copy it. Everything else in the input is checked as usual.
 */
function schemaFor(schema: z.ZodType, input: unknown): z.ZodType {
  if (!(schema instanceof z.ZodObject) || !('topology' in schema.shape)) return schema;
  if (typeof input !== 'object' || input === null || !isParsedTopology((input as { topology?: unknown }).topology)) return schema;
  let sealed = takingSealed.get(schema);
  if (!sealed) {
    // safeExtend keeps the method's refinements (extend refuses a refined object).
    sealed = schema.safeExtend({ topology: SealedTopology } as never);
    takingSealed.set(schema, sealed);
  }
  return sealed;
}

/**
 * Checks an input against a method's schema, as every edge does before anything runs:
 * the parsed input, or `bad-input` naming the JSON path of each problem. Shared by the
 * service and the desktop shell, so both refuse the same inputs with the same error.
 */
export function parseMethodInput<S extends z.ZodType>(method: string, schema: S, input: unknown): z.output<S> {
  const parsed = schemaFor(schema, input).safeParse(input);
  if (parsed.success) return parsed.data as z.output<S>;
  const issues = parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  throw new ApiError('bad-input', `invalid input for ${method}: ${issues.map((i) => `${i.path || '(input)'}: ${i.message}`).slice(0, 5).join('; ')}`, issues);
}
