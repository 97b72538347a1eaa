/**
 * What a fast command loads at start (issue 12: a cold start within 1.5x of `node -e 0`).
 * The timing itself is in `npm run bench -- cli`; these pin the two causes of a slow start
 * found so far, which no timing on a busy machine catches reliably:
 * - a command module importing, at its top, something heavy that only its action needs (the
 *   model and zod through trace.ts, the design loader through exec.ts): in the one-file
 *   build every statically imported module runs for every command, `--version` included;
 * - Node's own modules: child_process (through the kernel lab's support check) brought net,
 *   dgram, readline and the stream machinery, 47 modules, into `--version`;
 * - zod: every kind's schema was built when the model loaded, a third of `validate`'s start,
 *   though a valid file goes through the generated parser and never needs one. A descriptor
 *   now declares its schema as a function (kinds/schema-kit.ts), built by node-schemas.ts,
 *   which only the loader's full path (a file with a problem) and the API load.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url).pathname;
const BIN = join(ROOT, 'dist/core/cli/bin.cjs');
const dir = mkdtempSync(join(tmpdir(), 'topolab-cold-start-'));
const HOOK = join(dir, 'loaded.cjs');
writeFileSync(HOOK, "process.on('exit', () => require('node:fs').writeSync(2, '\\nLOADED ' + JSON.stringify(process.moduleLoadList) + '\\n'));\n");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The modules of the compiled CLI (dist/core, as bin.cjs runs it without its bundle) that a
 * run of `topolab ...args` resolves, from a resolve hook: node_modules packages by name, our
 * own modules by path under dist/core.
 */
function resolvedBy(args: readonly string[]): Set<string> {
  const log = join(dir, `resolved-${Math.random().toString(36).slice(2)}.txt`);
  const hooks = join(dir, 'resolve-hooks.mjs');
  writeFileSync(
    hooks,
    "import { appendFileSync } from 'node:fs';\n" +
      'export async function resolve(specifier, context, next) {\n' +
      '  const result = await next(specifier, context);\n' +
      "  appendFileSync(process.env.RESOLVE_LOG, result.url + '\\n');\n" +
      '  return result;\n' +
      '}\n',
  );
  const register = join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const run = `const { runCli } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/core/cli/program.js')).href)});
const { processStreams } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/core/cli/streams.js')).href)});
process.exitCode = await runCli(['node', 'topolab', ...${JSON.stringify(args)}], processStreams());`;
  const result = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, '--input-type=module', '-e', run], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', RESOLVE_LOG: log } });
  if (result.status !== 0 && result.status !== 1 && result.status !== 2) throw new Error(`topolab ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  const urls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const names = new Set<string>();
  for (const url of urls) {
    const inPackage = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (inPackage) names.add(inPackage[1]!);
    else if (url.includes('/dist/core/')) names.add(url.slice(url.indexOf('/dist/core/') + '/dist/core/'.length));
  }
  return names;
}

/** Node's own modules and bindings a process loaded, from the hook above. */
function loadedBy(args: readonly string[]): Set<string> {
  const result = spawnSync(process.execPath, ['--require', HOOK, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const line = result.stderr.split('\n').find((l) => l.startsWith('LOADED '));
  if (!line) throw new Error(`no module list from node ${args.join(' ')}: ${result.stderr}`);
  return new Set(JSON.parse(line.slice('LOADED '.length)) as string[]);
}

describe('a cold start of the CLI', () => {
  const bare = loadedBy(['-e', '0']);
  // vm runs the bundle with its code cache; commander asks for node:process.
  const allowed = new Set(['NativeModule vm', 'NativeModule process']);
  it.each([
    ['--version', ['--version']],
    ['info', ['info', '10.0.0.0/16']],
    ['validate', ['validate', join(ROOT, 'examples/two-tier-web.topolab.json')]],
  ])('%s loads none of Node’s modules that `node -e 0` does not, but vm', (_name, args) => {
    const extra = [...loadedBy([BIN, ...args])].filter((m) => !bare.has(m) && !allowed.has(m));
    expect(extra).toEqual([]);
  });

  it('loads no zod and builds no schema for a valid file; a file with a problem loads both to explain it', () => {
    const valid = resolvedBy(['validate', join(ROOT, 'examples/two-tier-web.topolab.json')]);
    // The run went through the validator, so the model and the fast parser were loaded,
    expect(valid).toContain('model/fast-parse.generated.js');
    expect(valid).toContain('validate/index.js');
    // but neither zod nor a module that builds a schema.
    expect([...valid].filter((name) => name === 'zod' || /^model\/(schema|input|load)\.js$|^model\/kinds\/(node-schemas|schema-kit|fields)\.js$/.test(name))).toEqual([]);
    // The control: a file the fast parser refuses is explained by zod, through the kinds' schemas.
    const bad = join(dir, 'bad.topolab.json');
    writeFileSync(bad, JSON.stringify({ schema: 'topolab/1', nodes: [{ id: 'a', kind: 'vpcx' }] }));
    const invalid = resolvedBy(['validate', bad]);
    expect(invalid).toContain('zod');
    expect(invalid).toContain('model/kinds/node-schemas.js');
  });

  it('runs no module at start that is not declarations: commands import their engine on use', async () => {
    const entry = join(ROOT, 'core/cli/program.ts');
    const result = await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', write: false, metafile: true, outdir: dir, packages: 'external', logLevel: 'silent' });
    const inputs = result.metafile.inputs;
    // The modules that run at start: the static imports from program.ts, not the import()s.
    const atStart = new Set<string>();
    const packages = new Set<string>();
    const stack = [Object.keys(inputs).find((file) => file.endsWith('core/cli/program.ts'))!];
    while (stack.length > 0) {
      const file = stack.pop()!;
      if (atStart.has(file)) continue;
      atStart.add(file);
      for (const imported of inputs[file]?.imports ?? []) {
        if (imported.kind !== 'import-statement') continue;
        if (imported.external) packages.add(imported.path);
        else stack.push(imported.path);
      }
    }
    // Only commander among the packages (zod, undici, ws... load with the command that needs them),
    expect([...packages].filter((name) => !name.startsWith('node:'))).toEqual(['commander']);
    // and none of the engine: the model, the service, the lab, routing, the loader.
    const engine = [...atStart].filter((file) => /core\/(model|api\/(?!contract\/(errors|limits)\.ts)|runtime\/(?!lab\/commands\.ts)|routing|import|cidr\/(?!providers\.ts))|core\/cli\/(io|service)\.ts/.test(file));
    expect(engine).toEqual([]);
    const bytes = [...atStart].reduce((sum, file) => sum + (inputs[file]?.bytes ?? 0), 0);
    expect(bytes, [...atStart].join('\n')).toBeLessThan(200_000);
  });
});
