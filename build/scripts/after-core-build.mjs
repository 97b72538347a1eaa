// Makes the compiled CLI executable, so `npm link` / `npx topolab` work on a fresh build.
import { chmodSync, existsSync } from 'node:fs';

const cli = new URL('../../dist/core/cli/main.js', import.meta.url);
if (existsSync(cli)) chmodSync(cli, 0o755);
