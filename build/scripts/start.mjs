// `npm start [-- DIR] [--browser] [--no-build]`: builds what is out of date, then starts the desktop
// app. Where Electron's binary is not installed (`npm install` could not download it), it
// says so and serves the same app with `topolab serve`, printing the URL to open.
//
// Without DIR it opens the designs folder ~/Topolab, made on first start with a copy of the
// examples: a newcomer finds them there, and saving over one never touches the shipped
// examples/ of the repository.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DESKTOP_INSTALL, electronBinary } from './electron-binary.mjs';

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
const named = args.find((arg) => !arg.startsWith('--'));
const folder = named === undefined ? designsFolder() : resolve(process.env.INIT_CWD ?? process.cwd(), named);
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

/**
 * ~/Topolab, the default folder of designs. Made on first start with a copy of every
 * example; once it exists it is the user's and is never written to here again.
 */
function designsFolder() {
  const dir = join(homedir(), 'Topolab');
  if (existsSync(dir)) return dir;
  const examples = join(root, 'examples');
  try {
    mkdirSync(dir, { recursive: true });
    const files = readdirSync(examples).filter((name) => name.endsWith('.topolab.json'));
    for (const name of files) copyFileSync(join(examples, name), join(dir, name));
    console.log(`start: made your designs folder ${dir} with a copy of the ${files.length} examples (the repository's examples/ stay as shipped)`);
  } catch (error) {
    console.error(`start: cannot make the designs folder ${dir} (${error instanceof Error ? error.message : String(error)}); name a folder: npm start -- DIR`);
    process.exit(2);
  }
  return dir;
}

if (build && stale('dist/core/cli/bin.cjs', ['core', 'tsconfig.json', 'tsconfig.build.json'])) run('build:core');
if (build && scripts['build:renderer'] && existsSync(join(root, 'renderer', 'index.html')) && stale('dist/renderer/index.html', ['renderer'])) run('build:renderer');

const binary = forceBrowser ? undefined : electronBinary(root);
let child;
if (binary) {
  if (build && scripts['build:electron'] && stale(join('dist', 'electron', 'main', 'index.js'), ['electron', 'renderer', 'core'])) run('build:electron');
  console.log(`start: launching the desktop app, for the designs in ${folder}`);
  child = spawn(binary, [root, folder], { cwd: root, stdio: 'inherit' });
} else {
  if (!forceBrowser) {
    console.log(`start: the desktop shell is not installed (npm install could not download Electron's binary); \`${DESKTOP_INSTALL}\` fetches it (it needs internet access).`);
  }
  console.log(`start: serving the same app in your browser instead, for the designs in ${folder}. Open this address (Ctrl+C stops it):`);
  child = spawn(process.execPath, [join(root, 'dist', 'core', 'cli', 'bin.cjs'), 'serve', folder, '--port', '0'], { cwd: root, stdio: 'inherit' });
}

// Ctrl+C reaches the child through the terminal; SIGTERM (from a supervisor) is passed on.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
// `npm start` runs this through `sh`: a SIGTERM to npm stops npm and the shell, not us, and
// the app would outlive it. When whoever started this is gone, the app stops too.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) child.kill('SIGTERM');
}, 500).unref();
