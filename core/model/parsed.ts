import type { Topology } from './types.js';

declare const parsedBrand: unique symbol;

/**
 * A topology that went through the model's parser (schema, migrations, referential
 * integrity) and cannot change since: deep-frozen and registered. It is checked once and
 * passed along as it is: the service's input check takes it without parsing it again.
 */
export type ParsedTopology = Topology & { readonly [parsedBrand]: true };

const sealed = new WeakSet<object>();

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

/**
 * Seals the parser's output: frozen all the way down (so no one can change it after the
 * check), and recognised by `isParsedTopology`. Only for what `safeParseTopology` returned.
 */
export function sealParsedTopology(topology: Topology): ParsedTopology {
  deepFreeze(topology);
  sealed.add(topology);
  return topology as ParsedTopology;
}

/** Whether a value is a topology sealed by `sealParsedTopology` (the exact object, not a copy). */
export function isParsedTopology(value: unknown): value is ParsedTopology {
  return typeof value === 'object' && value !== null && sealed.has(value);
}
