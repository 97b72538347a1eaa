import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportFile } from '../../../core/export/report.js';
import { run } from '../export/tools.js';

const TERRAFORM = '/usr/local/bin/terraform';
const MIRROR = '/opt/tf-plugins';

/**
 * One Terraform working folder for many exports: `init` once (the provider from the local
 * mirror, offline), then for each export its files, `plan -out`, `show -json`. Every export
 * of Topolab needs the same provider, so one init serves them all and saves a minute per design.
 */
export class PlanRunner {
  private constructor(private readonly dir: string, private readonly env: Record<string, string>) {}

  static async create(): Promise<PlanRunner> {
    const dir = await mkdtemp(join(tmpdir(), 'topolab-import-tf-'));
    await writeFile(join(dir, 'cli.tfrc'), `provider_installation {\n  filesystem_mirror {\n    path = "${MIRROR}"\n  }\n}\n`);
    await writeFile(
      join(dir, 'override.tf'),
      ['provider "aws" {', '  access_key                  = "topolab-test"', '  secret_key                  = "topolab-test"', '  skip_credentials_validation = true', '  skip_requesting_account_id  = true', '  skip_metadata_api_check     = true', '  skip_region_validation      = true', '}', ''].join('\n'),
    );
    await writeFile(join(dir, 'main.tf'), 'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 5.0"\n    }\n  }\n}\n');
    const env = { TF_CLI_CONFIG_FILE: join(dir, 'cli.tfrc'), TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', AWS_EC2_METADATA_DISABLED: 'true' };
    const runner = new PlanRunner(dir, env);
    const init = await runner.tf(['init', '-input=false', '-no-color', '-backend=false'], 180_000);
    if (init.code !== 0) throw new Error(`terraform init failed:\n${init.output}`);
    return runner;
  }

  private tf(args: string[], timeoutMs: number) {
    return run(TERRAFORM, [`-chdir=${this.dir}`, ...args], timeoutMs, this.env);
  }

  /** `terraform plan -out` and `terraform show -json` of one export: the plan's JSON text. */
  async planJson(files: readonly ExportFile[], vars: Record<string, string>): Promise<string> {
    for (const name of await readdir(this.dir)) if (name.endsWith('.tf') && name !== 'override.tf') await rm(join(this.dir, name));
    for (const file of files) await writeFile(join(this.dir, file.path), file.content);
    const varArgs = Object.entries(vars).flatMap(([k, v]) => ['-var', `${k}=${v}`]);
    const plan = await this.tf(['plan', '-refresh=false', '-input=false', '-no-color', '-lock=false', '-out=plan.bin', ...varArgs], 300_000);
    if (plan.code !== 0) throw new Error(`terraform plan failed:\n${plan.output}`);
    // stdout alone: the JSON (warnings go to stderr).
    const child = spawn(TERRAFORM, [`-chdir=${this.dir}`, 'show', '-json', '-no-color', 'plan.bin'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...this.env } });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearTimeout(timer);
    if (code !== 0) throw new Error(`terraform show failed:\n${err}`);
    return Buffer.concat(out).toString('utf8');
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
