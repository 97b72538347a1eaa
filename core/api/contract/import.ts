import { z } from 'zod';
import type { Ignored, PortNote } from '../../import/index.js';
import type { Topology } from '../../model/types.js';
import { MAX_TOPOLOGY_TEXT } from './core.js';
import { defineMethod } from './define.js';

/** One input file of an import: its name (messages, target-health pairing) and its JSON text. */
const ImportFileInput = z.strictObject({ name: z.string().min(1).max(1024), text: z.string().max(MAX_TOPOLOGY_TEXT) });

/** What an import made: the design, and what it left out and why (docs/import.md). */
export interface ImportResult {
  topology: Topology;
  nodes: number;
  ignored: Ignored[];
  /** Where each imported instance listens, and why. */
  ports: PortNote[];
}

/** The import method: pure, the caller reads the files (the CLI, or the app from files dropped on it). */
export const importMethods = {
  import: defineMethod<ImportResult>()(
    z.strictObject({ source: z.enum(['aws', 'terraform']), files: z.array(ImportFileInput).min(1).max(64) }),
    'Import existing infrastructure as a design: AWS CLI describe output (any number of files) or one `terraform show -json` of a state or plan. A file that cannot be read fails with "bad-input" naming the file and JSON path.',
  ),
};
