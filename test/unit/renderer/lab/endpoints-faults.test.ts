import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../../../core/model/index.js';
import { endpointRows, shellQuote } from '../../../../renderer/lab/endpoints.js';
import { faultItems } from '../../../../renderer/lab/faults.js';
import { applyStatus, initialLabState } from '../../../../renderer/lab/state.js';
import type { LabNodeStatus } from '../../../../renderer/lab/types.js';

const example = (name: string) => parseTopology(readFileSync(new URL(`../../../../examples/${name}.topolab.json`, import.meta.url), 'utf8'));
const status = (id: string, role: LabNodeStatus['role'], extra: Partial<LabNodeStatus> = {}): LabNodeStatus => ({ id, role, state: 'healthy', address: '10.0.0.5:80', published: false, url: 'http://127.0.0.1:4000', ...extra });

describe('endpoints panel rows', () => {
  it('lists published entry points only, with a curl, and curl -x through a forward proxy', () => {
    const rows = endpointRows(example('forward-proxy'), [
      status('egress-proxy', 'forward-proxy', { published: true, address: '10.3.0.4:3128', url: 'http://127.0.0.1:5001' }),
      status('artifacts', 'backend', { address: '10.3.1.4:8081', url: 'http://127.0.0.1:5002' }),
    ]);
    expect(rows).toEqual([{ id: 'egress-proxy', name: 'Egress proxy', role: 'forward-proxy', address: '10.3.0.4:3128', url: 'http://127.0.0.1:5001', curl: 'curl -x http://127.0.0.1:5001 http://10.3.1.4:8081/' }]);
    const direct = endpointRows(example('nginx-two-backends'), [status('nginx', 'l7-balancer', { published: true })]);
    expect(direct[0]?.curl).toBe('curl -i http://127.0.0.1:4000/');
    const stopped = endpointRows(example('nginx-two-backends'), [status('nginx', 'l7-balancer', { published: true, url: undefined } as Partial<LabNodeStatus>)]);
    expect(stopped[0]?.curl).toBeUndefined();
  });

  it('quotes shell words that need it', () => {
    expect(shellQuote('http://127.0.0.1:80/a')).toBe('http://127.0.0.1:80/a');
    expect(shellQuote("/a b'c")).toBe(`'/a b'\\''c'`);
  });
});

describe('faults menu items', () => {
  const doc = example('nginx-two-backends');
  const lab = (nodes: LabNodeStatus[], dropped: { table: string; route: { destination: string; target: string } }[] = []) =>
    applyStatus(initialLabState(), { state: 'running', nodes, groups: [], droppedRoutes: dropped });

  it('offers stop (or start when stopped), latency and error rate on servers', () => {
    expect(faultItems(doc, lab([status('backend-1', 'backend')]), 'backend-1').map((i) => i.id)).toEqual(['stop', 'latency', 'latency-clear', 'error-rate', 'error-rate-clear']);
    expect(faultItems(doc, lab([status('backend-1', 'backend', { state: 'stopped' })]), 'backend-1')[0]?.fault).toEqual({ nodeId: 'backend-1', action: 'start' });
    const rate = faultItems(doc, lab([status('backend-1', 'backend')]), 'backend-1').find((i) => i.id === 'error-rate');
    expect(rate?.ask).toMatchObject({ unit: '%', scale: 0.01 });
  });

  it('offers only stop/start on a balancer, purge on a cache, nothing on a node that runs nothing', () => {
    expect(faultItems(doc, lab([status('nginx', 'l7-balancer')]), 'nginx').map((i) => i.id)).toEqual(['stop']);
    expect(faultItems(example('cache-in-front'), lab([status('cache', 'cache')]), 'cache').map((i) => i.id)).toEqual(['stop', 'purge']);
    expect(faultItems(doc, lab([]), 'vpc')).toEqual([]);
  });

  it('offers drop per route of a route table, and restore once dropped', () => {
    expect(faultItems(doc, lab([]), 'rt-public').map((i) => i.fault)).toEqual([{ nodeId: 'rt-public', action: 'drop-route', route: '0.0.0.0/0' }]);
    const dropped = faultItems(doc, lab([], [{ table: 'rt-public', route: { destination: '0.0.0.0/0', target: 'igw' } }]), 'rt-public');
    expect(dropped.map((i) => i.fault)).toEqual([
      { nodeId: 'rt-public', action: 'restore-route', route: '0.0.0.0/0' },
      { nodeId: 'rt-public', action: 'restore-route' },
    ]);
  });
});
