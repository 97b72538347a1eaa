import { z } from 'zod';
import { ImportInputError } from '../errors.js';
import { checkShape } from '../json.js';

/**
 * The parts of `terraform show -json` an import reads: a state (`values`) or a saved plan
 * (`planned_values`, with `configuration` for the links `planned_values` cannot know),
 * module by module. Unknown keys are ignored; an unknown major `format_version` is refused.
 */

/** One resource instance: where it is, what it is, and its known attribute values. */
export interface TfResource {
  /** The full address, `module.net.aws_subnet.a[0]`. */
  address: string;
  type: string;
  /** The module prefix of the address (`module.net.`), empty at the root. */
  modulePrefix: string;
  /** The address without instance keys: the key of its block in `configuration`. */
  configKey: string;
  /** Its `count` index or `for_each` key, if any. */
  index?: string | number;
  values: Record<string, unknown>;
  /** JSON path of the resource in the file, for messages. */
  path: (string | number)[];
}

/** A parsed `terraform show -json` document. */
export interface TfDocument {
  file: string;
  kind: 'state' | 'plan';
  resources: TfResource[];
  /** `configuration` blocks by config key: each attribute's expression (`references`, `constant_value`). */
  expressions: Map<string, Record<string, unknown>>;
}

const ResourceShape = z.looseObject({
  address: z.string().min(1).max(1024),
  mode: z.string().default('managed'),
  type: z.string().min(1).max(128),
  name: z.string().max(256),
  index: z.union([z.string(), z.number()]).optional(),
  values: z.record(z.string(), z.unknown()).default({}),
});

const ModuleShape = z.looseObject({
  resources: z.array(z.unknown()).default([]),
  child_modules: z.array(z.unknown()).default([]),
});

const ConfigResourceShape = z.looseObject({
  address: z.string().max(1024),
  mode: z.string().default('managed'),
  expressions: z.record(z.string(), z.unknown()).default({}),
});

const ConfigModuleShape = z.looseObject({
  resources: z.array(ConfigResourceShape).default([]),
  module_calls: z.record(z.string(), z.looseObject({ module: z.unknown().optional() })).default({}),
});

/** Modules nest deeper than any real configuration only in hostile input. */
const MAX_MODULE_DEPTH = 64;

/** The address without instance keys (`module.a[0].aws_x.b["k"]` -> `module.a.aws_x.b`). */
export function stripKeys(address: string): string {
  return address.replace(/\[(?:"(?:[^"\\]|\\.)*"|\d+)\]/g, '');
}

function walkModule(file: string, raw: unknown, path: (string | number)[], out: TfResource[], depth: number): void {
  if (depth > MAX_MODULE_DEPTH) throw new ImportInputError(file, path, `modules nested more than ${MAX_MODULE_DEPTH} deep`);
  const module = checkShape(ModuleShape, raw, file, path);
  module.resources.forEach((rawResource, i) => {
    const resource = checkShape(ResourceShape, rawResource, file, [...path, 'resources', i]);
    if (resource.mode !== 'managed') return;
    const suffix = `${resource.type}.${resource.name}`;
    const at = resource.address.lastIndexOf(suffix);
    const modulePrefix = at > 0 ? resource.address.slice(0, at) : '';
    out.push({
      address: resource.address,
      type: resource.type,
      modulePrefix,
      configKey: stripKeys(resource.address),
      ...(resource.index !== undefined ? { index: resource.index } : {}),
      values: resource.values,
      path: [...path, 'resources', i],
    });
  });
  module.child_modules.forEach((child, i) => walkModule(file, child, [...path, 'child_modules', i], out, depth + 1));
}

function walkConfig(file: string, raw: unknown, path: (string | number)[], prefix: string, out: Map<string, Record<string, unknown>>, depth: number): void {
  if (depth > MAX_MODULE_DEPTH) throw new ImportInputError(file, path, `modules nested more than ${MAX_MODULE_DEPTH} deep`);
  const module = checkShape(ConfigModuleShape, raw, file, path);
  for (const resource of module.resources) if (resource.mode === 'managed') out.set(`${prefix}${resource.address}`, resource.expressions);
  for (const [name, call] of Object.entries(module.module_calls)) {
    if (call.module !== undefined) walkConfig(file, call.module, [...path, 'module_calls', name, 'module'], `${prefix}module.${name}.`, out, depth + 1);
  }
}

/** Reads the JSON of `terraform show -json` (a state or a saved plan). */
export function readTerraformDocument(file: string, value: unknown): TfDocument {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ImportInputError(file, [], 'expected the JSON object `terraform show -json` prints');
  const top = value as Record<string, unknown>;
  const version = top['format_version'];
  if (typeof version !== 'string') throw new ImportInputError(file, ['format_version'], 'missing: is this the output of `terraform show -json`?');
  if (!/^1\.\d+$/.test(version)) throw new ImportInputError(file, ['format_version'], `format ${JSON.stringify(version.slice(0, 20))} is not supported: this import reads format 1.x`);
  const planned = top['planned_values'];
  const kind = planned !== undefined ? 'plan' : 'state';
  const root = kind === 'plan' ? planned : top['values'];
  const rootKey = kind === 'plan' ? 'planned_values' : 'values';
  const resources: TfResource[] = [];
  const expressions = new Map<string, Record<string, unknown>>();
  if (root !== undefined && root !== null) {
    const holder = checkShape(z.looseObject({ root_module: z.unknown().optional() }), root, file, [rootKey]);
    if (holder.root_module !== undefined) walkModule(file, holder.root_module, [rootKey, 'root_module'], resources, 0);
  }
  const configuration = top['configuration'];
  if (configuration !== undefined) {
    const holder = checkShape(z.looseObject({ root_module: z.unknown().optional() }), configuration, file, ['configuration']);
    if (holder.root_module !== undefined) walkConfig(file, holder.root_module, ['configuration', 'root_module'], '', expressions, 0);
  }
  return { file, kind, resources, expressions };
}
