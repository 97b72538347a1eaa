import { readAwsFiles, type AwsInputFile } from './aws/index.js';
import { buildDesign, type BuiltDesign } from './design/index.js';
import { safely, type SafeResult } from './errors.js';
import { parseImportJson } from './json.js';
import { readTerraformJson } from './terraform/index.js';

export { ImportInputError, type SafeResult } from './errors.js';
export { MAX_IMPORT_FILE_BYTES, parseImportJson } from './json.js';
export type { Ignored } from './inventory.js';
export type { BuiltDesign, PortNote } from './design/index.js';
export { AWS_KEYS } from './aws/index.js';
export { TERRAFORM_TYPES } from './terraform/index.js';

/** One input file as text. */
export interface ImportTextFile {
  name: string;
  text: string;
}

/**
 * Imports AWS CLI describe outputs (`--output json`) as one design. Throws
 * `ImportInputError` (file and JSON path) when a file cannot be read.
 */
export function importAws(files: readonly ImportTextFile[]): BuiltDesign {
  const parsed: AwsInputFile[] = files.map((f) => ({ name: f.name, value: parseImportJson(f.name, f.text) }));
  return buildDesign(readAwsFiles(parsed), 'Imported from AWS');
}

/** `importAws` without throwing on bad input. */
export function safeImportAws(files: readonly ImportTextFile[]): SafeResult<BuiltDesign> {
  return safely(() => importAws(files));
}

/** Imports `terraform show -json` of a state or a saved plan as a design. Throws `ImportInputError` when it cannot be read. */
export function importTerraform(file: ImportTextFile): BuiltDesign {
  const { inventory, kind } = readTerraformJson(file.name, parseImportJson(file.name, file.text));
  return buildDesign(inventory, `Imported from a Terraform ${kind}`);
}

/** `importTerraform` without throwing on bad input. */
export function safeImportTerraform(file: ImportTextFile): SafeResult<BuiltDesign> {
  return safely(() => importTerraform(file));
}
