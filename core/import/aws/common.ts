import type { z } from 'zod';
import { ImportInputError } from '../errors.js';
import type { Inventory, Tags } from '../inventory.js';
import { checkShape } from '../json.js';

/** What the readers of one AWS import share: the inventory they fill and what pairs up after all files are read. */
export interface AwsReadState {
  inventory: Inventory;
  /** Target group ARN -> target group name (its node-facing id). */
  targetGroupArns: Map<string, string>;
  /** Load balancer ARN -> load balancer name. */
  balancerArns: Map<string, string>;
  /** describe-target-health files, paired with their target groups once every file is read. */
  healthFiles: { file: string; targets: { id: string; port?: number }[] }[];
  /** Ids already read, per family: the same resource in two files is read once. */
  seen: Set<string>;
}

/** Calls `read` on each checked item of the array under `key`; the same id twice is read once. */
export function eachItem<S extends z.ZodType>(
  top: Record<string, unknown>,
  key: string,
  file: string,
  schema: S,
  read: (item: z.output<S>, path: (string | number)[]) => void,
): void {
  const list = top[key];
  if (!Array.isArray(list)) throw new ImportInputError(file, [key], `expected an array, got ${list === null ? 'null' : typeof list}`);
  list.forEach((raw, i) => read(checkShape(schema, raw, file, [key, i]), [key, i]));
}

/** AWS's `[{Key, Value}]` tags as a record. */
export function tagRecord(list: readonly { Key: string; Value: string }[] | undefined): Tags {
  const out: Tags = {};
  for (const tag of list ?? []) out[tag.Key] = tag.Value;
  return out;
}

/** Records an id as read; false when it was read before (from another file). */
export function firstTime(state: AwsReadState, family: string, id: string): boolean {
  const key = `${family}:${id}`;
  if (state.seen.has(key)) return false;
  state.seen.add(key);
  return true;
}
