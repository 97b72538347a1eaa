import { InvalidArgumentError } from 'commander';
import { PROVIDER_IDS, type Provider } from '../../cidr/providers.js';

/** Parses `--provider`; commander turns the error into a usage message (exit 2). */
export function parseProvider(value: string): Provider {
  if (!(PROVIDER_IDS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${PROVIDER_IDS.join(', ')}`);
  return value as Provider;
}

/** A parser of whole numbers from `min` to `max` (counts, ports); `what` names them in the error. */
export function parseCount(min: number, max: number, what = 'a whole number'): (value: string) => number {
  return (value) => {
    if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max) throw new InvalidArgumentError(`${what} from ${min} to ${max}`);
    return Number(value);
  };
}

/** Parses a destination port, 1-65535. */
export const parsePort = parseCount(1, 65535, 'a port is a whole number');

/** Parses the port a server listens on: 0 (any free port) to 65535. */
export const parseListenPort = parseCount(0, 65535, 'a port (0 picks a free one) is a whole number');

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
