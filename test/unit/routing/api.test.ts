import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../core/api/contract/errors.js';
import { createService } from '../../../core/api/service.js';
import type { TopologyInput } from '../../../core/model/types.js';

const topology: TopologyInput = {
  schema: 'topolab/1',
  nodes: [
    { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' },
    { id: 'sub', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/24' },
    { id: 'rt', kind: 'route-table', parent: 'vpc', main: true },
    { id: 'a', kind: 'server', parent: 'sub' },
    { id: 'b', kind: 'server', parent: 'sub' },
  ],
};

describe('trace through the service', () => {
  const service = createService();

  it('answers the same verdict the engine gives', async () => {
    const result = await service.call('trace', { topology, from: 'a', to: 'b', port: 80 });
    expect(result.verdict).toBe('reachable');
    expect(result.hops.at(-1)).toMatchObject({ kind: 'node', nodeId: 'b', address: '10.0.1.5:80' });
  });

  it('maps an unknown node to not-found and a non-endpoint to bad-input', async () => {
    await expect(service.call('trace', { topology, from: 'ghost', to: 'b' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(service.call('trace', { topology, from: 'rt', to: 'b' })).rejects.toMatchObject({ code: 'bad-input' });
    await expect(service.callUnchecked('trace', { topology, from: 'a', to: 'b', port: 70000 })).rejects.toBeInstanceOf(ApiError);
  });
});
