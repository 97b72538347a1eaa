import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_DOC_PATH, eventTable, menuTable, methodTable, replaceBetween } from '../../../build/scripts/api-docs.js';

describe('docs/api.md', () => {
  it('lists exactly the contract: its methods, events and menu commands (run `npm run docs:api` after changing it)', () => {
    const current = readFileSync(API_DOC_PATH, 'utf8');
    expect(replaceBetween(replaceBetween(replaceBetween(current, 'methods', methodTable()), 'events', eventTable()), 'menu', menuTable())).toBe(current);
  });
});
