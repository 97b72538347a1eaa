import { describe, expect, it } from 'vitest';
import { Lab, type ServiceSpec, type ServiceWiring } from '../../../core/runtime/lab/lab.js';
import { LabPlanError } from '../../../core/runtime/lab/plan.js';
import type { LabEvent } from '../../../core/runtime/lab/events.js';
import type { Endpoint, LabService, NodeMetrics, UpstreamTarget } from '../../../core/runtime/services/types.js';
import type { Latency } from '../../../core/model/types.js';
import { labFixture } from './fixtures.js';

/**
 * An in-memory stand-in for a network service: it records what the lab asks of it, so
 * these tests check the orchestration (order, rollback, faults, gate) without sockets.
 * The real services are exercised in test/integration/lab.
 */
class RecordingService implements LabService {
  readonly kind = 'backend' as const;
  listening = false;
  targets: readonly UpstreamTarget[];
  latency?: Latency;
  errorRate?: number;

  constructor(
    readonly spec: ServiceSpec,
    readonly wiring: ServiceWiring,
    private readonly journal: string[],
    private readonly failing: ReadonlySet<string>,
    private readonly port: number,
  ) {
    this.targets = wiring.targets;
  }

  get nodeId(): string {
    return this.spec.id;
  }

  async start(): Promise<Endpoint> {
    if (this.failing.has(this.spec.id)) throw new Error('listen EADDRINUSE: address already in use 127.0.0.1:1');
    this.listening = true;
    this.journal.push(`start ${this.spec.id}`);
    return { host: '127.0.0.1', port: this.port };
  }

  async stop(): Promise<void> {
    if (this.listening) this.journal.push(`stop ${this.spec.id}`);
    this.listening = false;
  }

  endpoint(): Endpoint | undefined {
    return this.listening ? { host: '127.0.0.1', port: this.port } : undefined;
  }

  metrics(): NodeMetrics {
    return { nodeId: this.spec.id, kind: 'backend', at: 0, listening: this.listening, requests: 0, statusCodes: {}, activeConnections: 0, bytesIn: 0, bytesOut: 0, latencyMs: { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 } };
  }

  setTargets(targets: readonly UpstreamTarget[]): void {
    this.targets = targets;
  }

  setLatency(latency: Latency | undefined): void {
    this.latency = latency;
  }

  setErrorRate(rate: number): void {
    this.errorRate = rate;
  }
}

function recordingLab(name: string, failing: string[] = []) {
  const journal: string[] = [];
  const services = new Map<string, RecordingService>();
  let port = 40_000;
  const lab = new Lab(labFixture(name), {
    metricsIntervalMs: 60_000,
    createService: (spec, wiring) => {
      const service = new RecordingService(spec, wiring, journal, new Set(failing), port++);
      services.set(spec.id, service);
      return service;
    },
  });
  const events: LabEvent[] = [];
  lab.on((e) => events.push(e));
  return { lab, journal, services, events };
}

describe('Lab orchestration', () => {
  it('starts upstreams first and hands forwarders their targets', async () => {
    const { lab, journal, services } = recordingLab('web-tier');
    const status = await lab.start();
    expect(status.state).toBe('running');
    expect(journal.indexOf('start web1')).toBeLessThan(journal.indexOf('start lb'));
    expect(journal.indexOf('start lb')).toBeLessThan(journal.indexOf('start cache'));
    expect(services.get('lb')?.targets.map((t) => t.nodeId)).toEqual(['web1', 'web2']);
    expect(services.get('cache')?.targets).toEqual([{ nodeId: 'lb', endpoint: services.get('lb')?.endpoint() }]);
    expect(lab.endpoints().find((e) => e.id === 'web1')).toEqual({ id: 'web1', address: '10.0.2.10:8080', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    expect(status.nodes.every((n) => n.state === 'healthy')).toBe(true);
    await lab.stop();
    expect(journal.at(-1)).toBe('stop web1');
    expect([...services.values()].some((s) => s.listening)).toBe(false);
  });

  it('is all-or-nothing: a service that cannot start stops the others and is named', async () => {
    const { lab, journal, services } = recordingLab('web-tier', ['lb']);
    await expect(lab.start()).rejects.toThrow(/node "lb" could not start: listen EADDRINUSE/);
    expect(journal.filter((j) => j.startsWith('start')).length).toBe(journal.filter((j) => j.startsWith('stop')).length);
    expect([...services.values()].some((s) => s.listening)).toBe(false);
    expect(lab.status().state).toBe('stopped');
  });

  it('refuses a design that cannot run before starting anything', async () => {
    const topology = labFixture('web-tier');
    topology.edges.push({ id: 'bad', from: 'lb', to: 'vpc' });
    let created = 0;
    const lab = new Lab(topology, { createService: () => { created++; throw new Error('not reached'); } });
    await expect(lab.start()).rejects.toBeInstanceOf(LabPlanError);
    expect(created).toBe(0);
  });

  it('gives the routing gate the design, and re-evaluates it when a route is dropped and restored', async () => {
    const { lab, events } = recordingLab('peered');
    await lab.start();
    expect(lab.verdict('gw', 'api')).toEqual({ allowed: true });
    await lab.inject({ nodeId: 'rt-core', action: 'drop-route', route: '10.0.0.0/16' });
    expect(lab.verdict('gw', 'api')).toMatchObject({ allowed: false, blockedBy: 'rt-core' });
    expect(lab.status().droppedRoutes).toEqual([{ table: 'rt-core', route: { destination: '10.0.0.0/16', target: 'pcx' } }]);
    await lab.inject({ nodeId: 'rt-core', action: 'restore-route' });
    expect(lab.verdict('gw', 'api')).toEqual({ allowed: true });
    expect(events.filter((e) => e.type === 'log' && e.event.topic === 'fault').map((e) => e.type === 'log' && e.event.message)).toEqual([
      'dropped 10.0.0.0/16 from route table rt-core',
      'restored every route in route table rt-core',
    ]);
    await expect(lab.inject({ nodeId: 'rt-core', action: 'restore-route' })).rejects.toThrow(/no dropped route/);
    await expect(lab.inject({ nodeId: 'api', action: 'drop-route' })).rejects.toThrow(/not a route table/);
    await lab.stop();
  });

  it('injects stop/start, latency and error rate, and reports node states', async () => {
    const { lab, services, events } = recordingLab('web-tier');
    await lab.start();
    await lab.inject({ nodeId: 'web2', action: 'stop' });
    expect(lab.status().nodes.find((n) => n.id === 'web2')).toMatchObject({ state: 'stopped', reason: 'stopped by a fault' });
    await lab.inject({ nodeId: 'web2', action: 'start' });
    expect(lab.status().nodes.find((n) => n.id === 'web2')?.state).toBe('healthy');
    await lab.inject({ nodeId: 'web1', action: 'latency', value: 150 });
    await lab.inject({ nodeId: 'web1', action: 'error-rate', value: 0.25 });
    expect(services.get('web1')).toMatchObject({ latency: 150, errorRate: 0.25 });
    await expect(lab.inject({ nodeId: 'lb', action: 'latency', value: 5 })).rejects.toThrow(/built-in servers; "lb" is a l7-balancer/);
    await expect(lab.inject({ nodeId: 'web1', action: 'error-rate', value: 2 })).rejects.toThrow(/0 to 1/);
    await expect(lab.inject({ nodeId: 'nope', action: 'stop' })).rejects.toThrow(/not a running node/);
    const states = events.flatMap((e) => (e.type === 'status' && e.event.node?.id === 'web2' ? [e.event.node.state] : []));
    expect(states).toEqual(['starting', 'healthy', 'stopped', 'healthy']);
    await lab.stop();
  });

  it('starts the desired instances of an auto-scaling group and gives them to the balancer', async () => {
    const { lab, services } = recordingLab('asg');
    const status = await lab.start();
    expect(status.groups).toEqual([{ id: 'asg', min: 1, max: 3, desired: 1, instances: ['asg#1'], launching: [] }]);
    expect(services.get('lb')?.targets).toEqual([{ nodeId: 'asg#1', group: 'asg', endpoint: services.get('asg#1')?.endpoint() }]);
    expect(lab.status().nodes.find((n) => n.id === 'asg#1')).toMatchObject({ group: 'asg', address: '10.1.10.4:8080', role: 'backend' });
    expect(() => lab.verdict('lb', 'asg#1')).not.toThrow();
    expect(lab.verdict('lb', 'asg#1')).toEqual({ allowed: true });
    await lab.stop();
  });

  it('waits for a start in progress when stopped, and leaves nothing started', async () => {
    const journal: string[] = [];
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const services: RecordingService[] = [];
    let port = 41_000;
    const lab = new Lab(labFixture('web-tier'), {
      createService: (spec, wiring) => {
        const service = new RecordingService(spec, wiring, journal, new Set(), port++);
        if (spec.id === 'lb') {
          const start = service.start.bind(service);
          service.start = async () => (await gate, start());
        }
        services.push(service);
        return service;
      },
    });
    const starting = lab.start();
    await expect.poll(() => services.some((s) => s.spec.id === 'lb')).toBe(true);
    const stopping = lab.stop();
    release();
    await expect(starting).rejects.toThrow(/stopped while "lb" was starting/);
    await stopping;
    expect(lab.status().state).toBe('stopped');
    expect(services.some((s) => s.listening)).toBe(false);
    expect(services.map((s) => s.spec.id)).not.toContain('cache'); // nothing started after the stop
  });

  it('refuses calls before start and a second start', async () => {
    const { lab } = recordingLab('web-tier');
    await expect(lab.inject({ nodeId: 'web1', action: 'stop' })).rejects.toThrow(/not running/);
    await lab.start();
    await expect(lab.start()).rejects.toThrow(/starts once/);
    await lab.stop();
    await lab.stop();
  });
});
