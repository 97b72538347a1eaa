// `npm run dist`: builds everything and packages the desktop app for this platform with
// electron-builder (build/electron-builder.yml). Packaging needs the Electron binary; where
// `npm install` could not download it (no internet), this says so and stops instead of
// failing deep inside electron-builder.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DESKTOP_INSTALL, electronBinary, electronPackageDir } from './scripts/electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = electronPackageDir(root) ?? join(root, 'node_modules', 'electron');

if (!electronBinary(root)) {
  console.error(
    [
      "npm run dist: Electron's binary is not installed (npm install could not download it), so the",
      'app cannot be packaged on this machine. To package:',
      `  ${DESKTOP_INSTALL}   # downloads the binary (needs internet)`,
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
