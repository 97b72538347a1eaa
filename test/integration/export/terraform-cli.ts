import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type TestContext } from 'vitest';
import type { ExportFile } from '../../../core/export/report.js';
import { run, type RunResult } from './tools.js';

/** Where this machine kind keeps Terraform and a local mirror of the AWS provider (no network needed). */
const TERRAFORM = '/usr/local/bin/terraform';
const MIRROR = '/opt/tf-plugins';

/** Why real Terraform cannot run here, or `undefined` when it can. */
export function terraformMissing(): string | undefined {
  if (!existsSync(TERRAFORM)) return `${TERRAFORM} is not installed`;
  if (!existsSync(join(MIRROR, 'registry.terraform.io', 'hashicorp', 'aws'))) return `no AWS provider mirror under ${MIRROR}`;
  return undefined;
}

/**
 * What `terraform init` and then `plan` (with `plan: true`) or `validate` (without) said
 * about one export.
 */
export interface TerraformCheck {
  init: RunResult;
  /** Run only without `plan`: a plan validates the configuration first, with the same diagnostics. */
  validate?: RunResult;
  plan?: RunResult;
  /** With `showPlan`: `terraform show -json` of the saved plan (what it would create, attribute by attribute). */
  shown?: RunResult;
}

/** Terraform in one working folder, offline (see `offlineTerraform`). */
export interface OfflineTerraform {
  readonly dir: string;
  /** `terraform -chdir=DIR ...args`, in the offline environment. */
  run(args: readonly string[], timeoutMs: number): Promise<RunResult>;
  /** `terraform init` without a backend: the provider comes from the mirror (linked, nothing copied). */
  init(timeoutMs?: number): Promise<RunResult>;
  /** `terraform plan -refresh=false` with `vars`, saving the plan to `out` when given. */
  plan(vars: Record<string, string>, out?: string): Promise<RunResult>;
  /** `terraform show -json` of a saved plan (the JSON is the result's `stdout`). */
  showJson(planFile: string): Promise<RunResult>;
}

/**
 * Makes `dir` a folder real Terraform runs in offline, the one place that knows how: a CLI
 * config with the local provider mirror as a filesystem mirror (`cli.tfrc`), and a
 * provider override with fake credentials and every skip_* flag (`override.tf`, which the
 * caller keeps when it replaces the other `.tf` files). No network, no real account.
 */
export async function offlineTerraform(dir: string): Promise<OfflineTerraform> {
  await writeFile(join(dir, 'cli.tfrc'), `provider_installation {\n  filesystem_mirror {\n    path = "${MIRROR}"\n  }\n}\n`);
  await writeFile(
    join(dir, 'override.tf'),
    [
      'provider "aws" {',
      '  access_key                  = "topolab-test"',
      '  secret_key                  = "topolab-test"',
      '  skip_credentials_validation = true',
      '  skip_requesting_account_id  = true',
      '  skip_metadata_api_check     = true',
      '  skip_region_validation      = true',
      '}',
      '',
    ].join('\n'),
  );
  // GOGC=400 (Terraform and the provider it starts, which inherits the environment): most of
  // a plan's or a `show -json`'s CPU goes to loading the AWS provider's schema, and Go's
  // default collector (GOGC=100) runs many times over during it. Collecting a quarter as often
  // took a plan from 5.1 to 4.5 CPU seconds and a `show -json` from 3.5 to 3.0 (3 runs each),
  // for about 80 MB more memory per process (400 MB at most). It changes nothing Terraform
  // decides or prints.
  const env = { TF_CLI_CONFIG_FILE: join(dir, 'cli.tfrc'), TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', AWS_EC2_METADATA_DISABLED: 'true', GOGC: '400' };
  const tf = (args: readonly string[], timeoutMs: number): Promise<RunResult> => run(TERRAFORM, [`-chdir=${dir}`, ...args], timeoutMs, env);
  return {
    dir,
    run: tf,
    init: (timeoutMs = 120_000) => tf(['init', '-input=false', '-no-color', '-backend=false'], timeoutMs),
    plan: (vars, out) => {
      const varArgs = Object.entries(vars).flatMap(([k, v]) => ['-var', `${k}=${v}`]);
      return tf(['plan', '-refresh=false', '-input=false', '-no-color', '-lock=false', ...(out ? [`-out=${out}`] : []), ...varArgs], 300_000);
    },
    showJson: (planFile) => tf(['show', '-json', '-no-color', planFile], 120_000),
  };
}

/**
 * Runs real Terraform on an export, offline (`offlineTerraform`), then `plan -refresh=false`
 * with the variables the export declares (`plan: true`) or `validate`. Not both: `plan`
 * validates the configuration before it plans (the same checks, the same messages), and
 * each command starts the 675 MB AWS provider and loads its schema, which is most of a
 * check's time. `init` links the provider from the mirror's unpacked layout (a symlink,
 * nothing copied), so it stays per folder. With `showPlan` (and `plan`), the plan is saved
 * and read back as JSON (`shown`), for tests that look at the planned resources. The
 * working folder is removed afterwards.
 */
export async function checkWithTerraform(files: readonly ExportFile[], vars: Record<string, string>, options: { plan?: boolean; showPlan?: boolean } = {}): Promise<TerraformCheck> {
  const dir = await mkdtemp(join(tmpdir(), 'topolab-tf-'));
  try {
    for (const file of files) await writeFile(join(dir, file.path), file.content);
    const tf = await offlineTerraform(dir);
    const init = await tf.init();
    if (init.code !== 0) return { init };
    if (!options.plan) return { init, validate: await tf.run(['validate', '-no-color'], 120_000) };
    const plan = await tf.plan(vars, options.showPlan ? 'plan.bin' : undefined);
    if (!options.showPlan || plan.code !== 0) return { init, plan };
    return { init, plan, shown: await tf.showJson('plan.bin') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Asserts that real `terraform validate` accepts an export; where Terraform cannot run here,
 * says why and skips the rest of the test (what the test asserted before still counted).
 */
export async function expectTerraformValidates(context: TestContext, files: readonly ExportFile[]): Promise<void> {
  const missing = terraformMissing();
  if (missing !== undefined) {
    console.warn(`terraform validate skipped: ${missing}`);
    context.skip();
  }
  const checked = await checkWithTerraform(files, {});
  expect(checked.init.code, checked.init.output).toBe(0);
  expect(checked.validate?.code, checked.validate?.output).toBe(0);
}
