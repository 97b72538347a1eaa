import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createService, type TopolabService } from '../../../core/api/service.js';
import { kernelLabOrSkip } from './helpers.js';

const supported = await kernelLabOrSkip('kernel TLS refusal test');

describe.skipIf(!supported)('HTTPS in the kernel lab', () => {
  let service: TopolabService | undefined;
  let folder: string | undefined;
  afterEach(async () => {
    await service?.close();
    service = undefined;
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
    folder = undefined;
  });

  it('refuses a design with tls, naming the nodes, rather than run it as plain HTTP', async () => {
    const topology = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/lab/tls.topolab.json'), 'utf8')) as unknown;
    // The loopback lab below creates the project's CA: in a folder of the test's own.
    folder = mkdtempSync(join(tmpdir(), 'topolab-kernel-tls-'));
    service = createService({ projectFolder: folder });
    const withTls = (topology as { nodes: { id: string; tls?: unknown }[] }).nodes.filter((n) => n.tls !== undefined).map((n) => n.id);
    expect(withTls.length).toBeGreaterThan(0);
    await expect(service.call('lab.start', { topology: topology as never, mode: 'netns' })).rejects.toThrow(new RegExp(`does not run HTTPS listeners yet \\(tls on ${withTls.join(', ')}\\)`));
    // Nothing was started: the loopback lab still takes the same design.
    const started = await service.call('lab.start', { topology: topology as never });
    expect(started.endpoints.some((e) => e.httpsUrl !== undefined)).toBe(true);
  }, 60_000);
});
