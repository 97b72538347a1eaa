// The test support's port picker: files running at once in two vitest workers must never be
// handed the same port (the integration project runs some files two at a time).
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, portBlockOf } from '../../support/net.js';

describe('freePort', () => {
  it('gives each concurrently running worker its own block, below the ephemeral range', () => {
    const blocks = [1, 2, 3, 4].map(portBlockOf);
    for (const [i, a] of blocks.entries()) {
      expect(a.first + a.size - 1).toBeLessThan(32768);
      for (const b of blocks.slice(i + 1)) expect(a.first + a.size <= b.first || b.first + b.size <= a.first).toBe(true);
    }
  });

  it('hands out distinct ports from this worker block that a server can bind at once', async () => {
    const block = portBlockOf(Number(process.env['VITEST_POOL_ID'] ?? '1'));
    const ports: number[] = [];
    for (let i = 0; i < 20; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(block.first);
      expect(port).toBeLessThan(block.first + block.size);
    }
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(ports[0], '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });

  it('passes over a port someone else holds', async () => {
    const block = portBlockOf(Number(process.env['VITEST_POOL_ID'] ?? '1'));
    // Someone holds the port after the last one handed out: freePort must pass over it.
    const probe = await freePort();
    const holder = createServer();
    const next = probe + 1 < block.first + block.size ? probe + 1 : block.first;
    const held = await new Promise<boolean>((resolve) => {
      holder.once('error', () => resolve(false));
      holder.listen(next, '127.0.0.1', () => resolve(true));
    });
    try {
      const port = await freePort();
      if (held) expect(port).not.toBe(next);
    } finally {
      if (held) await new Promise((resolve) => holder.close(resolve));
    }
  });
});
