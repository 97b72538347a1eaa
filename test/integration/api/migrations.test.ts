// A topolab/0 design passed to the API, over every transport: migrated like a file (the same
// chain), so validate, trace, export and a live lab see the topolab/1 design; a newer one is
// refused as bad input saying so.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput } from '../../../core/api/contract/index.js';
import { createService } from '../../../core/api/service.js';
import { parseTopology } from '../../../core/model/index.js';
import { TRANSPORTS, rejectionOf, type OpenTransport } from './harness.js';

const v0 = JSON.parse(readFileSync(new URL('../../fixtures/migrations/nginx-two-backends-v0.topolab.json', import.meta.url), 'utf8')) as MethodInput<'validate'>['topology'];
const v1 = parseTopology(readFileSync(new URL('../../../examples/nginx-two-backends.topolab.json', import.meta.url), 'utf8'));
const reference = createService();

describe.each(TRANSPORTS)('a topolab/0 design over $name', (transport) => {
  let open: OpenTransport;
  beforeAll(async () => {
    open = await transport.open({});
  });
  afterAll(async () => {
    await open.close();
  });

  it('validate, trace and export answer as for the topolab/1 design', async () => {
    expect(await open.client.call('validate', { topology: v0 })).toEqual(await reference.call('validate', { topology: v1 }));
    const trace = await open.client.call('trace', { topology: v0, from: 'browser', to: 'nginx' });
    expect(trace).toEqual(await reference.call('trace', { topology: v1, from: 'browser', to: 'nginx' }));
    expect(trace.verdict).toBe('reachable');
    const drawio = await open.client.call('export', { topology: v0, format: 'drawio' });
    // The layout moved out of the nodes: the diagram keeps every saved position.
    expect(drawio).toEqual(await reference.call('export', { topology: v1, format: 'drawio' }));
  });

  it('lab.start runs it: the balancer answers from its two backends', async () => {
    await open.client.call('lab.start', { topology: v0 });
    try {
      const served = new Set<string>();
      for (let i = 0; i < 4; i++) {
        const reply = await open.client.call('lab.request', { from: 'browser', to: 'nginx' });
        expect(reply.status).toBe(200);
        if (reply.servedBy[0]) served.add(reply.servedBy[0]);
      }
      expect([...served].sort()).toEqual(['backend-1', 'backend-2']);
    } finally {
      await open.client.call('lab.stop', {});
    }
  });

  it('refuses a design from a newer Topolab as bad input, saying so', async () => {
    const error = await rejectionOf(open.client.call('validate', { topology: { ...v1, schema: 'topolab/2' } as never }));
    expect(error.code).toBe('bad-input');
    expect(error.message).toMatch(/topology\.schema: this file was written by a newer Topolab \(schema topolab\/2\)/);
    const malformed = { ...(v0 as object), links: [{ id: 'x', source: 'browser', target: 'nginx' }], edges: [] };
    expect((await rejectionOf(open.client.call('export', { topology: malformed as never, format: 'nginx' }))).message).toMatch(/topology\.edges: cannot upgrade this topolab\/0 document/);
  });
});
