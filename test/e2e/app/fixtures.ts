import { test as base, expect } from '../support/index.js';
import { EditorPage } from './pages/editor.js';
import { FiltersPage } from './pages/filters.js';
import { ImportPage } from './pages/import.js';

/** `editor`: the editor page object on the worker's `topolab serve`; `filters`: the same with the security group and ACL verbs; `importing`: with File > Import's. */
export const test = base.extend<{ editor: EditorPage; filters: FiltersPage; importing: ImportPage }>({
  editor: async ({ page, served }, use) => {
    await use(new EditorPage(page, served.url));
  },
  filters: async ({ page, served }, use) => {
    await use(new FiltersPage(page, served.url));
  },
  importing: async ({ page, served }, use) => {
    await use(new ImportPage(page, served.url));
  },
});

export { expect };
