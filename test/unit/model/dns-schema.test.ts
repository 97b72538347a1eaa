import { describe, expect, it } from 'vitest';
import { safeParseTopology } from '../../../core/model/index.js';

const design = (upstream: string): string =>
  JSON.stringify({
    schema: 'topolab/1',
    nodes: [
      { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' },
      { id: 'app', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/24' },
      { id: 'gw', kind: 'reverse-proxy', parent: 'app', rules: [{ upstreams: [upstream] }] },
      { id: 'shop', kind: 'dns-zone', name: 'shop.example', records: [] },
    ],
  });

describe('reverse-proxy rule upstreams naming DNS names', () => {
  it('accepts a name inside one of the design zones', () => {
    expect(safeParseTopology(design('api.shop.example')).ok).toBe(true);
  });

  it('still refuses an upstream that is neither a node nor a name of the design zones', () => {
    const result = safeParseTopology(design('api.other.example'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(JSON.stringify(result.error)).toMatch(/upstream \\"api\.other\.example\\" is not a node of this topology/);
  });
});
