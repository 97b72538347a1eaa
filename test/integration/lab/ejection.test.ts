import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../core/runtime/lab/lab.js';
import type { LabEvent } from '../../../core/runtime/lab/events.js';
import type { Topology } from '../../../core/model/types.js';
import { waitUntil } from '../../support/wait.js';
import { fixture, realLab } from './helpers.js';

const labs: Lab[] = [];
afterEach(async () => {
  await Promise.all(labs.splice(0).map((lab) => lab.stop()));
});

/** The balancers fixture with a short upstream timeout on `lb`, so a slow server times out fast. */
function withShortTimeout(): Topology {
  const topology = fixture('balancers');
  return { ...topology, nodes: topology.nodes.map((n) => (n.id === 'lb' ? { ...n, timeoutMs: 200 } : n)) } as Topology;
}

describe('node state after passive ejection', () => {
  it('a server ejected for timeouts shows unhealthy, and healthy again once the ejection ends', async () => {
    const lab = realLab(withShortTimeout());
    labs.push(lab);
    const states: string[] = [];
    lab.on((event: LabEvent) => {
      if (event.type === 'status' && event.event.node?.id === 'web1') states.push(event.event.node.state);
    });
    await lab.start();
    const stateOf = (id: string): string | undefined => lab.status().nodes.find((n) => n.id === id)?.state;
    await lab.inject({ nodeId: 'web1', action: 'latency', value: 2000 });
    await waitUntil(async () => {
      await lab.request({ from: 'user', to: 'lb' });
      return stateOf('web1') === 'unhealthy';
    }, 'web1 ejected after timeouts', 15_000);
    await lab.inject({ nodeId: 'web1', action: 'latency', value: 0 });
    // The default ejection lasts 5 s; then the balancer reports web1 back in rotation.
    await waitUntil(() => stateOf('web1') === 'healthy', 'web1 healthy again after the ejection', 10_000, 50);
    expect(states.slice(-2)).toEqual(['unhealthy', 'healthy']);
    const served = new Set<string>();
    for (let i = 0; i < 4; i += 1) served.add((await lab.request({ from: 'user', to: 'lb' })).servedBy[0] ?? '');
    expect([...served].sort()).toEqual(['web1', 'web2']);
  });
});
