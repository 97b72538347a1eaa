import { describe, expect, it } from 'vitest';
import { example } from '../../support/examples.js';
import { LabController, preflight } from '../../../renderer/lab/controller.js';
import { accepts, servicesClosedAfterEach } from './helpers.js';

// The canvas's lab controller against the real in-process service: real lab, real sockets.
const service = servicesClosedAfterEach();

describe('the canvas lab controller on the real service', () => {
  it('launches, shows node states and endpoints, runs traffic with live series, injects a fault, and stops', async () => {
    const api = service();
    const controller = new LabController(api);
    const doc = example('nginx-two-backends');
    const detach = controller.attach(() => doc);
    expect(preflight(doc).errors).toEqual([]);
    expect(await controller.launch(doc)).toEqual({ outcome: 'started' });
    const state = controller.state;
    expect(state.phase).toBe('running');
    expect(state.launched).toBe(doc);
    expect(Object.values(state.nodes).map((n) => `${n.id}:${n.state}`).sort()).toEqual(['backend-1:healthy', 'backend-2:healthy', 'nginx:healthy']);
    expect(state.endpoints.map((e) => e.id).sort()).toEqual(['backend-1', 'backend-2', 'nginx']);

    const result = await controller.runTraffic({ from: 'browser', to: 'nginx', requests: 200, concurrency: 8 });
    expect(result?.byServer).toEqual({ 'backend-1': 100, 'backend-2': 100 });
    const run = controller.state.runs.at(-1);
    expect(run).toMatchObject({ phase: 'done', completed: 200, fraction: 1, byServer: { 'backend-1': 100, 'backend-2': 100 } });
    expect(run?.histogram.reduce((a, b) => a + b, 0)).toBe(200);
    expect(run?.series.t.length).toBeGreaterThan(0);
    await expect.poll(() => Object.keys(controller.state.metrics).length).toBe(3);

    expect(await controller.inject({ nodeId: 'backend-2', action: 'stop' })).toBe('stopped backend-2');
    expect(controller.state.nodes['backend-2']?.state).toBe('stopped');

    const urls = controller.state.endpoints.map((e) => e.url);
    await controller.stop();
    expect(controller.state.phase).toBe('stopped');
    expect(Object.values(controller.state.nodes).every((n) => n.state === 'stopped')).toBe(true);
    for (const url of urls) expect(await accepts(url)).toBe(false);
    detach();
  });

  it('cancels the active run', async () => {
    const api = service();
    const controller = new LabController(api);
    const doc = example('nginx-two-backends');
    controller.attach(() => doc);
    await controller.launch(doc);
    const running = controller.runTraffic({ to: 'nginx', durationSeconds: 60, concurrency: 2 });
    await expect.poll(() => controller.state.runs.at(-1)?.completed ?? 0).toBeGreaterThan(5);
    await controller.cancel();
    const result = await running;
    expect(result?.aborted).toBe(true);
    expect(controller.state.runs.at(-1)?.phase).toBe('cancelled');
    expect(controller.state.activeRunId).toBeNull();
  });

  it('reports a refused start with the lab problems, and picks up a lab that was already running', async () => {
    const api = service();
    const refused = new LabController(api);
    const broken = example('broken-plan');
    expect(preflight(broken).errors.length).toBeGreaterThan(5);
    expect(await refused.launch(broken)).toEqual({ outcome: 'failed' });
    expect(refused.state.phase).toBe('idle');
    expect(refused.state.error).toMatch(/^The lab did not start: /);

    const doc = example('cache-in-front');
    await api.call('lab.start', { topology: doc });
    const later = new LabController(api);
    later.attach(() => doc);
    await expect.poll(() => later.state.phase).toBe('running');
    expect(later.state.launched).toBe(doc);
    expect(later.state.nodes['cache']?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
