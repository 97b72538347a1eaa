// After tsc: makes the compiled CLI executable (so `npm link` / `npx topolab` work on a fresh
// build) and writes its one-file build with a V8 code cache (bundle-cli.mjs).
import { chmodSync, existsSync } from 'node:fs';
import { bundleCli } from './bundle-cli.mjs';

for (const entry of ['bin.cjs', 'main.js']) {
  const file = new URL(`../../dist/core/cli/${entry}`, import.meta.url);
  if (existsSync(file)) chmodSync(file, 0o755);
}
await bundleCli();
