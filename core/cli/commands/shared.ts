import { InvalidArgumentError } from 'commander';
import { ProviderSchema } from '../../model/schema.js';
import type { Provider } from '../../model/types.js';

/** Parses `--provider`; commander turns the error into a usage message (exit 2). */
export function parseProvider(value: string): Provider {
  const parsed = ProviderSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`expected one of ${ProviderSchema.options.join(', ')}`);
  return parsed.data;
}

/** Parses a port number 1-65535. */
export function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535) throw new InvalidArgumentError('a port is a whole number from 1 to 65535');
  return Number(value);
}

/** Splits a comma-separated list, dropping empty items and spaces. */
export function parseList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** A CIDR problem as one line, with the suggested fix when the message does not already give it. */
export function describeProblem(problem: { message: string; fix?: string }): string {
  return problem.fix && !problem.message.includes(problem.fix) ? `${problem.message} (did you mean ${problem.fix}?)` : problem.message;
}
