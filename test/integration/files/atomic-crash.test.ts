// Crash safety of atomic saves under arbitrary kills: a writer saving two contents in a loop
// is SIGKILLed at different points; the file is always one whole version.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { killAndWait as kill, startScriptUntil } from '../../support/child-lines.js';
import { tempDirPerTest } from '../../support/temp.js';

const WRITER = new URL('../../unit/files/fixtures/atomic-writer.ts', import.meta.url).pathname;

const dir = tempDirPerTest('topolab-atomic-');

/** Starts the writer child and resolves with it once a stdout line matches. */
const startWriter = (args: string[], until: (line: string) => boolean): ReturnType<typeof startScriptUntil> => startScriptUntil(WRITER, args, until);

describe('writeFileAtomic under SIGKILL', () => {
  it('never leaves a truncated or mixed file when killed at arbitrary points of repeated saves', async () => {
    const path = join(dir(), 'loop.topolab.json');
    const valid = new Set(['a'.repeat(1 << 20), 'b'.repeat(3 << 19)]);
    // Each round kills at a different save count, so the kill lands in different phases.
    for (const round of [1, 2, 3, 5, 8, 13]) {
      const { child } = await startWriter(['loop', path], (l) => l === `wrote ${round}`);
      await kill(child);
      const content = await readFile(path, 'utf8');
      expect(valid.has(content), `round ${round}: file of ${content.length} chars is neither version`).toBe(true);
    }
  }, 30_000);

});
