import type { Command } from 'commander';
import type { CliStreams } from '../streams.js';

/** Options of `topolab import aws` and `topolab import terraform`. */
export interface ImportOptions {
  out?: string;
  json?: boolean;
}

/**
 * Registers `import aws FILE...` and `import terraform FILE`. The importer is loaded when
 * the command runs, so every other command starts without it.
 */
export function registerImport(program: Command, streams: CliStreams): void {
  const command = program.command('import').description('read existing infrastructure into a design: AWS CLI describe output, or Terraform state or plan JSON');
  command
    .command('aws')
    .description('import the JSON of AWS CLI describe commands (describe-vpcs, -subnets, -route-tables, -security-groups, ...), recognised by their top-level key')
    .argument('<files...>', 'files of `aws ... describe-* --output json`, any subset, several VPCs and accounts together')
    .option('--out <file>', 'write the design to this file (atomically) instead of standard output')
    .option('--json', 'print {"design","nodes","ignored":[{"type","id","reason"}]} on one line')
    .action(async (files: string[], options: ImportOptions) => (await import('./import-run.js')).runImport('aws', files, options, streams));
  command
    .command('terraform')
    .description('import the JSON of `terraform show -json` for a state or a saved plan')
    .argument('<file>', 'the output of `terraform show -json` (state) or `terraform show -json PLANFILE`')
    .option('--out <file>', 'write the design to this file (atomically) instead of standard output')
    .option('--json', 'print {"design","nodes","ignored":[{"type","id","reason"}]} on one line')
    .action(async (file: string, options: ImportOptions) => (await import('./import-run.js')).runImport('terraform', [file], options, streams));
}
