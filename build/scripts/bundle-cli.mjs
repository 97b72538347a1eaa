// @ts-check
/**
 * The one-file build of the `topolab` CLI and its V8 code cache (run by after-core-build.mjs,
 * after tsc). A cold `topolab info` spent most of its time resolving, reading and compiling
 * some 150 modules (zod alone is over a hundred files): one CommonJS file with a code cache
 * starts in a fraction of that. Every command still loads lazily inside the file (esbuild
 * turns each `await import()` of our modules into an init function run on first use).
 *
 * The caches are made here, not at run time, by running the fast commands once (`--version`,
 * `info`, `plan`, `validate` of an example) and saving what V8 compiled: a later run starts
 * with those functions compiled. The lab's network libraries (undici, ws, yaml) stay
 * outside the file and are required from node_modules when a command needs them.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..', '..');
const compiled = join(root, 'dist', 'core', 'cli');
/** Where the bundle goes; dist/core/cli/bin.cjs looks for it there. */
export const BUNDLE = join(root, 'dist', 'cli', 'topolab.cjs');

/**
 * One code cache per group of commands, each made in a fresh process by running the group's
 * commands once: V8 deserializes a whole cache at start, so `--version` should not pay for
 * the schemas that `validate` compiles. main.js picks the cache by the command's name
 * (CACHE_GROUP_OF); every other command starts with the `start` cache. V8 accepts any cache
 * made from the same source, so a command's choice is only ever a matter of speed.
 */
export const CACHE_GROUPS = {
  start: [['--version'], ['--help']],
  info: [['info', '10.0.0.0/16'], ['info', 'fd00::/56', '--provider', 'azure', '--json']],
  plan: [['plan', '--cidr', '10.0.0.0/16', '--sizes', '24,24,500h', '--zones', 'a,b'], ['plan', '--cidr', '10.0.0.0/24', '--sizes', '23', '--json']],
  validate: [
    ['validate', join(root, 'examples', 'broken-plan.topolab.json')],
    ['validate', join(root, 'examples', 'two-tier-web.topolab.json'), '--json'],
  ],
};

/**
 * zod's classic and core entries re-export every locale (`z.locales`, some 260 kB of the bundle's
 * 900); Topolab only ever uses the English messages zod configures by default. This
 * resolves zod's locales index to one that exports English alone, so the CLI neither
 * reads nor compiles the others.
 */
const ZOD_ENGLISH_ONLY = {
  name: 'zod-english-only',
  /** @param {import('esbuild').PluginBuild} plugin */
  setup(plugin) {
    plugin.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer)) return undefined;
      return { path: join(dirname(args.importer), '..', 'locales', 'index.js'), namespace: 'zod-locales' };
    });
    plugin.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), 'en.js'))};\n`,
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * commander requires `child_process` (and with it `net` and the stream machinery) when it
 * loads, to run stand-alone executable subcommands, which topolab does not have. Inside
 * commander only, `node:child_process` resolves to a module that requires the real one on
 * first use, so every command starts without it.
 */
const COMMANDER_LAZY_CHILD_PROCESS = {
  name: 'commander-lazy-child-process',
  /** @param {import('esbuild').PluginBuild} plugin */
  setup(plugin) {
    plugin.onResolve({ filter: /^node:child_process$/ }, (args) => {
      if (!/[\\/]commander[\\/]/.test(args.importer)) return undefined;
      return { path: 'child_process', namespace: 'lazy-child-process' };
    });
    plugin.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: "let real;\nmodule.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });\n",
      loader: 'js',
    }));
  },
};

/** Bundles dist/core/cli into BUNDLE, then writes one code cache per group beside it. */
export async function bundleCli() {
  await build({
    stdin: {
      contents: "export { runCli } from './program.js';\nexport { processStreams } from './streams.js';\n",
      resolveDir: compiled,
      sourcefile: 'topolab-cli.js',
      loader: 'js',
    },
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Loaded only by the lab and export commands (the @peculiar ASN.1 packages for the lab's TLS
    // authority, dns-packet for its DNS): every command would otherwise read them and V8 would
    // keep their functions in each code cache. jose stays in: it is an ES module, which `require`
    // loads on Node 20 only with a warning. bufferutil and utf-8-validate are ws's optional add-ons;
    // esbuild only by the kernel lab run from TypeScript sources (tests), never by the built CLI.
    external: ['undici', 'ws', 'yaml', '@peculiar/asn1-schema', '@peculiar/asn1-x509', 'dns-packet', 'bufferutil', 'utf-8-validate', 'esbuild'],
    // `import.meta.url` (serve finds dist/renderer from it) is the bundle's own URL.
    define: { 'import.meta.url': '__topolabBundleUrl' },
    banner: { js: "var __topolabBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [ZOD_ENGLISH_ONLY, COMMANDER_LAZY_CHILD_PROCESS],
    minify: true,
    // Error and class names show in messages (CliFailure, ApiError): keep them.
    keepNames: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const loader = pathToFileURL(join(compiled, 'bin.cjs')).href;
  for (const [group, commands] of Object.entries(CACHE_GROUPS)) {
    // A fresh process per group, so each cache holds only what its commands compiled.
    execFileSync(process.execPath, ['--input-type=module', '-e', WARM, loader, BUNDLE, `${BUNDLE}.${group}.cache`, JSON.stringify(commands)], { stdio: 'inherit' });
  }
  return { bytes: (await readFile(BUNDLE)).length };
}

/** Runs in the child: load the bundle, run the commands with their output dropped, save the cache. */
const WARM = `
const [loader, bundle, cacheFile, commands] = process.argv.slice(1);
const { loadBundle } = (await import(loader)).default;
const { writeFileSync } = await import('node:fs');
const { exports, script } = loadBundle(bundle);
const sink = { out() {}, err() {}, colour: false, exitCode: 0 };
for (const argv of JSON.parse(commands)) await exports.runCli(['node', 'topolab', ...argv], sink);
writeFileSync(cacheFile, script.createCachedData());
`;
