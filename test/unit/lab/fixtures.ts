import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseTopology } from '../../../core/model/load.js';
import type { Topology } from '../../../core/model/types.js';

/** Loads a lab fixture from test/fixtures/lab by name (without `.topolab.json`). */
export function labFixture(name: string): Topology {
  const url = new URL(`../../fixtures/lab/${name}.topolab.json`, import.meta.url);
  return parseTopology(readFileSync(fileURLToPath(url), 'utf8'));
}
