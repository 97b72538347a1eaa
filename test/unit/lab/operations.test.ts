// Faults and live edits reach a service through its own operations (ServiceOperations),
// never through a cast by role: a service that lacks the operation its role promises is
// refused with a clear error instead of a TypeError deep in the lab.
import { describe, expect, it } from 'vitest';
import { Lab } from '../../../core/runtime/lab/lab.js';
import type { Endpoint, LabService, NodeMetrics } from '../../../core/runtime/services/types.js';
import { labFixture } from './fixtures.js';

/** A service with start and stop only: no fault or edit operation at all. */
function bareService(nodeId: string, port: number): LabService {
  let listening = false;
  return {
    nodeId,
    kind: 'backend',
    start: async (): Promise<Endpoint> => ((listening = true), { host: '127.0.0.1', port }),
    stop: async () => void (listening = false),
    endpoint: () => (listening ? { host: '127.0.0.1', port } : undefined),
    metrics: (): NodeMetrics => ({ nodeId, kind: 'backend', at: 0, listening, requests: 0, statusCodes: {}, activeConnections: 0, bytesIn: 0, bytesOut: 0, latencyMs: { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 } }),
  };
}

describe("the lab's service operations", () => {
  it('refuses, naming the node and the operation, when a service lacks what its role promises', async () => {
    let port = 41_000;
    const lab = new Lab(labFixture('web-tier'), { metricsIntervalMs: 60_000, createService: (spec) => bareService(spec.id, port++) });
    await lab.start();
    try {
      await expect(lab.inject({ nodeId: 'web1', action: 'latency', value: 10 })).rejects.toMatchObject({ code: 'failed', message: '"web1" (a backend) has no setLatency operation' });
      expect(() => lab.configure({ nodeId: 'lb', algorithm: 'random-two' })).toThrow('"lb" (a l7-balancer) has no setAlgorithm operation');
      // The design's rule still comes first: a balancer takes no latency fault.
      await expect(lab.inject({ nodeId: 'lb', action: 'latency', value: 10 })).rejects.toMatchObject({ code: 'bad-input' });
      // Stop and start need no operation beyond the service's own lifecycle.
      expect(await lab.inject({ nodeId: 'web2', action: 'stop' })).toBe('stopped web2');
    } finally {
      await lab.stop();
    }
  });
});
