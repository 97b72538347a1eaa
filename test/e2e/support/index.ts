/** Shared end-to-end support: fixtures (`test`, `expect`), the page-object base, and `startServe`. */
export { expect, test } from './fixtures.js';
export { AppPage, SCREENSHOT_DIR } from './page.js';
export { REPO_ROOT, startServe, type ServedApp } from './serve.js';
