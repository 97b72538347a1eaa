import { z } from 'zod';
import { safeParseCidr } from '../cidr/block.js';
import { ImportInputError } from './errors.js';

/**
 * CIDR blocks read from an input: parsed strictly, of the family the field promises (an
 * `Ipv6CidrBlock` holds an IPv6 block). A malformed block is a broken input, refused with
 * the file and JSON path, not a design problem for the validator to explain: AWS and
 * Terraform never print one.
 */

/** Why `text` is not a CIDR block of `version`, or undefined when it is one. */
export function cidrProblem(text: string, version: 4 | 6): string | undefined {
  const parsed = safeParseCidr(text);
  if (!parsed.ok) return `not a CIDR block: ${parsed.problem.message}`;
  if (parsed.block.version !== version) return `"${text}" is an IPv${parsed.block.version} block where an IPv${version} block belongs`;
  return undefined;
}

/** A zod shape of a CIDR block of one family, for describe output. */
export function cidrShape(version: 4 | 6): z.ZodType<string> {
  return z
    .string()
    .max(64)
    .superRefine((text, ctx) => {
      const problem = cidrProblem(text, version);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    });
}

/** Checks a block read from `file` at `path`; throws `ImportInputError` naming both when it is not one of `version`. */
export function checkCidr(text: string, version: 4 | 6, file: string, path: readonly (string | number)[]): string {
  const problem = cidrProblem(text, version);
  if (problem !== undefined) throw new ImportInputError(file, path, problem);
  return text;
}
