import { describe, expect, it } from 'vitest';
import { designNameFromFile } from '../../../renderer/files/session.js';

// Issue 16: the design's name stayed "Untitled" after Save as.
describe('designNameFromFile', () => {
  it('names an untitled design after the file it is saved as', () => {
    expect(designNameFromFile('Untitled', 'shop.topolab.json')).toBe('shop');
    expect(designNameFromFile('', 'teams/shop-eu.topolab.json')).toBe('shop-eu');
  });

  it('keeps a name the user gave', () => {
    expect(designNameFromFile('Web and database', 'shop.topolab.json')).toBeUndefined();
  });
});
