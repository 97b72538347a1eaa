import { describe, expect, it } from 'vitest';
import { labStartInput } from '../../../../renderer/lab/controller.js';
import { labMethods } from '../../../../core/api/contract/lab.js';
import { emptyTopology } from '../../../../core/model/queries.js';

/**
 * The app's lab.start names the saved design, so the lab reads a gateway's secret files and
 * keeps the project's CA beside it, as `topolab up FILE` does (e2e: gateway-lab.spec.ts).
 */
describe('the app\'s lab.start input', () => {
  const doc = emptyTopology();

  it('names the open file (its name in the served folder), and the contract takes it', () => {
    const input = labStartInput(doc, { design: 'shop/api-gateway.topolab.json' });
    expect(input).toEqual({ topology: doc, design: 'shop/api-gateway.topolab.json' });
    expect(labMethods['lab.start'].input.safeParse(input).success).toBe(true);
  });

  it('names none for an unsaved design, and keeps the other options', () => {
    expect(labStartInput(doc, { design: null, allowCommands: true, mode: 'netns' })).toEqual({ topology: doc, allowCommands: true, mode: 'netns' });
    expect(labStartInput(doc, {})).toEqual({ topology: doc });
  });
});
