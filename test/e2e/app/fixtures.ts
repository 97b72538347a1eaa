import { test as base, expect } from '../support/index.js';
import { EditorPage } from './pages/editor.js';

/** `editor`: the editor page object on the worker's `topolab serve`. */
export const test = base.extend<{ editor: EditorPage }>({
  editor: async ({ page, served }, use) => {
    await use(new EditorPage(page, served.url));
  },
});

export { expect };
