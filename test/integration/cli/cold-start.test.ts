/**
 * What a fast command loads at start (issue 12: a cold start within 1.5x of `node -e 0`).
 * The timing itself is in `npm run bench -- cli`; these pin the two causes of a slow start
 * found so far, which no timing on a busy machine catches reliably:
 * - a command module importing, at its top, something heavy that only its action needs (the
 *   model and zod through trace.ts, the design loader through exec.ts): in the one-file
 *   build every statically imported module runs for every command, `--version` included;
 * - Node's own modules: child_process (through the kernel lab's support check) brought net,
 *   dgram, readline and the stream machinery, 47 modules, into `--version`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url).pathname;
const BIN = join(ROOT, 'dist/core/cli/bin.cjs');
const dir = mkdtempSync(join(tmpdir(), 'topolab-cold-start-'));
const HOOK = join(dir, 'loaded.cjs');
writeFileSync(HOOK, "process.on('exit', () => require('node:fs').writeSync(2, '\\nLOADED ' + JSON.stringify(process.moduleLoadList) + '\\n'));\n");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
