// `npm run dist`: builds everything and packages the desktop app for this platform with
// electron-builder (build/electron-builder.yml). Packaging needs the Electron binary; on a
// machine installed without it (ELECTRON_SKIP_BINARY_DOWNLOAD=1, no internet) this says
// so and stops instead of failing deep inside electron-builder.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');
const pathFile = join(electronDir, 'path.txt');
const binary = existsSync(pathFile) ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : undefined;

if (!binary || !existsSync(binary)) {
  console.error(
    [
      'npm run dist: the Electron binary is not installed (node_modules/electron/dist is missing),',
      'so the app cannot be packaged on this machine. npm installed Electron with',
      'ELECTRON_SKIP_BINARY_DOWNLOAD=1 or without internet access. To package:',
      '  node node_modules/electron/install.js   # downloads the binary (needs internet)',
      '  npm run dist',
      'The shell itself still builds here: npm run build:electron.',
    ].join('\n'),
  );
  process.exit(1);
}

const run = (command, args) => {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
run('npm', ['run', 'build']);
// Package with the installed Electron rather than downloading another copy.
run('npx', ['electron-builder', '--config', 'build/electron-builder.yml', `-c.electronDist=${join(electronDir, 'dist')}`, ...process.argv.slice(2)]);
