import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportFile } from '../../../core/export/report.js';
import { offlineTerraform, type OfflineTerraform } from '../export/terraform-cli.js';
import type { RunResult } from '../export/tools.js';

/**
 * One Terraform working folder for many exports: `init` once (offline, set up by
 * `offlineTerraform`, as every Terraform check is), then for each export its files,
 * `plan -out` and, where asked, `show -json`. Every export of Topolab needs the same provider, so one init
 * serves them all and saves a minute per design.
 */
export class PlanRunner {
  private constructor(private readonly tf: OfflineTerraform) {}

  static async create(): Promise<PlanRunner> {
    const tf = await offlineTerraform(await mkdtemp(join(tmpdir(), 'topolab-import-tf-')));
    // The provider the exports need, so the one init installs it before any export is written.
    await writeFile(join(tf.dir, 'main.tf'), 'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 5.0"\n    }\n  }\n}\n');
    const init = await tf.init(180_000);
    if (init.code !== 0) throw new Error(`terraform init failed:\n${init.output}`);
    return new PlanRunner(tf);
  }

  /**
   * `terraform plan -out` of one export (in place of the folder's previous export), and with
   * `show`, when the plan passes, `terraform show -json` of it (`json`: stdout alone, as
   * warnings go to stderr). The plan's result is returned as Terraform gave it, refusal or not.
   */
  async plan(files: readonly ExportFile[], vars: Record<string, string>, options: { show: boolean }): Promise<{ plan: RunResult; json?: string }> {
    const dir = this.tf.dir;
    for (const name of await readdir(dir)) if ((name.endsWith('.tf') && name !== 'override.tf') || name === 'plan.bin') await rm(join(dir, name));
    for (const file of files) await writeFile(join(dir, file.path), file.content);
    const plan = await this.tf.plan(vars, 'plan.bin');
    if (!options.show || plan.code !== 0) return { plan };
    const shown = await this.tf.showJson('plan.bin');
    if (shown.code !== 0) throw new Error(`terraform show failed:\n${shown.output}`);
    return { plan, json: shown.stdout };
  }

  async dispose(): Promise<void> {
    await rm(this.tf.dir, { recursive: true, force: true });
  }
}
