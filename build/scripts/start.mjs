// `npm start [-- DIR] [--browser] [--no-build]`: builds what is out of date, then starts the desktop
// app. Where Electron's binary is not installed (a machine without internet installs the
// npm package but cannot download the binary), it says so and serves the same app with
// `topolab serve`, printing the URL to open instead of failing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
const args = process.argv.slice(2);
const KNOWN_FLAGS = new Set(['--browser', '--no-build']);
const unknown = args.filter((arg) => arg.startsWith('-') && !KNOWN_FLAGS.has(arg));
if (unknown.length > 0) {
  console.error(`npm start: unknown option ${unknown.join(', ')}; it takes a folder, --browser and --no-build`);
  process.exit(2);
}
const forceBrowser = args.includes('--browser');
const build = !args.includes('--no-build');
const folder = resolve(process.env.INIT_CWD ?? process.cwd(), args.find((arg) => !arg.startsWith('--')) ?? '.');
const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts ?? {};

/** Newest modification time of the files below the given paths (0 when none exist). */
function newest(paths) {
  let latest = 0;
  const visit = (path) => {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      return;
    }
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules' && !entry.startsWith('.')) visit(join(path, entry));
    } else {
      latest = Math.max(latest, stats.mtimeMs);
    }
  };
  for (const path of paths) visit(join(root, path));
  return latest;
}

/** Whether an output is missing or older than any of its sources. */
function stale(output, sources) {
  const out = join(root, output);
  return !existsSync(out) || statSync(out).mtimeMs < newest(sources);
}

function run(script) {
  console.log(`start: npm run ${script}`);
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`start: \`npm run ${script}\` failed; fix the error above and run \`npm start\` again`);
    process.exit(result.status ?? 1);
  }
}

/** The Electron binary's path, or why it is not there. */
function electronBinary() {
  try {
    const path = createRequire(join(root, 'package.json'))('electron');
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { missing: `the Electron binary ${path} does not exist` };
  } catch (error) {
    return { missing: error instanceof Error ? error.message : String(error) };
  }
}

if (build && stale('dist/core/cli/main.js', ['core', 'tsconfig.json', 'tsconfig.build.json'])) run('build:core');
if (build && scripts['build:renderer'] && existsSync(join(root, 'renderer', 'index.html')) && stale('dist/renderer/index.html', ['renderer'])) run('build:renderer');

const electron = forceBrowser ? { missing: 'started with --browser' } : electronBinary();
let child;
if (electron.path) {
  if (build && scripts['build:electron'] && stale(join('dist', 'electron', 'main', 'index.js'), ['electron', 'renderer', 'core'])) run('build:electron');
  console.log('start: launching the desktop app');
  child = spawn(electron.path, [root, folder], { cwd: root, stdio: 'inherit' });
} else {
  console.log(`start: Electron is not available (${electron.missing}).`);
  console.log(`start: serving the same app in your browser instead, for the designs in ${folder}:`);
  child = spawn(process.execPath, [join(root, 'dist', 'core', 'cli', 'main.js'), 'serve', folder, '--port', '0'], { cwd: root, stdio: 'inherit' });
}

// Ctrl+C reaches the child through the terminal; SIGTERM (from a supervisor) is passed on.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
