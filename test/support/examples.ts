import { readFileSync } from 'node:fs';
import { parseTopology } from '../../core/model/load.js';
import type { Topology } from '../../core/model/types.js';

/** The example design `examples/NAME.topolab.json`, parsed. */
export function example(name: string): Topology {
  return parseTopology(readFileSync(new URL(`../../examples/${name}.topolab.json`, import.meta.url), 'utf8'));
}
