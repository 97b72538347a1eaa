import { describe, expect, it } from 'vitest';
import { emptyTopology } from '../../../../core/model/index.js';
import {
  applyLog,
  applyMetrics,
  applyProgress,
  applyStatus,
  applyStatusEvent,
  applyStopped,
  backendShares,
  beginLaunch,
  edgeRate,
  failRun,
  finishRun,
  initialLabState,
  MAX_LOG,
  newRun,
  startRun,
} from '../../../../renderer/lab/state.js';
import type { LabNodeStatus, LabProgressEvent, LoadResult, NodeMetrics } from '../../../../renderer/lab/types.js';

const node = (id: string, state: LabNodeStatus['state'], extra: Partial<LabNodeStatus> = {}): LabNodeStatus => ({ id, role: 'backend', state, address: '10.0.0.1:80', published: false, ...extra });
const metrics = (nodeId: string, requests: number, upstreams?: Record<string, number>): NodeMetrics => ({
  nodeId,
  kind: upstreams ? 'l7-balancer' : 'backend',
  at: 0,
  listening: true,
  requests,
  statusCodes: {},
  activeConnections: 0,
  bytesIn: 0,
  bytesOut: 0,
  latencyMs: { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 },
  ...(upstreams ? { upstreams: Object.fromEntries(Object.entries(upstreams).map(([id, chosen]) => [id, { healthy: true, chosen, active: 0, failures: 0 }])) } : {}),
});
const progress = (runId: string, extra: Partial<LabProgressEvent>): LabProgressEvent => ({ runId, completed: 0, elapsedMs: 0, rps: 0, errors: 0, planned: { requests: 100 }, status: {}, byServer: {}, done: false, ...extra });
const result = (extra: Partial<LoadResult> = {}): LoadResult => ({ requests: 100, rps: 50, status: { '200': 100 }, latency: { p50: 1, p90: 2, p99: 3, max: 4 }, byServer: { a: 50, b: 50 }, byAddress: {}, errors: {}, durationMs: 2000, aborted: false, url: 'http://127.0.0.1:8080/', ...extra });

describe('lab view state', () => {
  it('launch pins the document, keeps earlier runs and clears the previous lab', () => {
    const doc = emptyTopology();
    let state = startRun(initialLabState(), newRun('r1', { to: 'lb' }, 'x', 1));
    state = { ...state, nodes: { old: node('old', 'healthy') } };
    const next = beginLaunch(state, doc, 5);
    expect(next).toMatchObject({ phase: 'starting', launched: doc, startedAt: 5, nodes: {} });
    expect(next.runs).toHaveLength(1);
  });

  it('folds status answers and events: node states, phase, dropped routes', () => {
    let state = applyStatus(initialLabState(), { state: 'running', nodes: [node('web', 'healthy')], groups: [], droppedRoutes: [{ table: 'rt', route: { destination: '0.0.0.0/0', target: 'igw' } }] });
    expect(state.phase).toBe('running');
    expect(state.droppedRoutes).toHaveLength(1);
    state = applyStatusEvent(state, { at: 1, lab: 'running', node: node('web', 'unhealthy', { reason: 'health check failed' }) });
    expect(state.nodes['web']?.state).toBe('unhealthy');
    const same = applyStatusEvent(state, { at: 2, lab: 'running' });
    expect(same).toBe(state);
  });

  it('stop marks every node stopped and drops their URLs and rates', () => {
    const state = applyStopped({ ...applyStatus(initialLabState(), { state: 'running', nodes: [node('web', 'healthy', { url: 'http://127.0.0.1:1' })], groups: [], droppedRoutes: [] }), nodeRates: { web: 3 } });
    expect(state.phase).toBe('stopped');
    expect(state.nodes['web']).toMatchObject({ state: 'stopped' });
    expect(state.nodes['web']?.url).toBeUndefined();
    expect(state.nodeRates).toEqual({});
  });

  it('turns consecutive metrics into rates per node and per balancer target (instances count for their group)', () => {
    let state = applyMetrics(initialLabState(), { at: 1000, nodes: [metrics('lb', 10, { web: 4, 'asg#1': 2, 'asg#2': 0 }), metrics('web', 4)], groups: [] });
    expect(state.nodeRates).toEqual({});
    state = applyMetrics(state, { at: 1500, nodes: [metrics('lb', 30, { web: 14, 'asg#1': 6, 'asg#2': 4 }), metrics('web', 14)], groups: [{ id: 'asg', instances: 2, desired: 3 }] });
    expect(state.nodeRates).toEqual({ lb: 40, web: 20 });
    expect(edgeRate(state, 'lb', 'web', false)).toBe(20);
    expect(edgeRate(state, 'lb', 'asg', false)).toBe(16);
    expect(edgeRate(state, 'client', 'lb', true)).toBe(40);
    expect(edgeRate(state, 'web', 'lb', false)).toBe(0);
    expect(state.groupLive['asg']).toEqual({ instances: 2, desired: 3 });
  });

  it('keeps a bounded log and puts scale events on the timeline', () => {
    let state = initialLabState();
    for (let i = 0; i < MAX_LOG + 5; i++) state = applyLog(state, { at: i, level: 'info', topic: 'health', message: `m${i}` });
    expect(state.log).toHaveLength(MAX_LOG);
    state = applyLog(state, { at: 9, level: 'info', topic: 'scale', message: 'scaled', data: { group: 'asg', from: 2, to: 4, direction: 'out' } });
    expect(state.scaleEvents).toEqual([{ at: 9, group: 'asg', from: 2, to: 4, direction: 'out' }]);
  });

  it('draws one point per progress window: rate from the window, p50/p99 (gaps when empty), fraction never going back', () => {
    let state = startRun(initialLabState(), newRun('r', { to: 'lb', requests: 100 }, 'x', 0));
    state = applyProgress(state, progress('r', { completed: 40, elapsedMs: 500, window: { requests: 40, p50: 2, p99: 9 }, status: { '200': 40 }, byServer: { a: 20, b: 20 }, histogram: [1, 39] }));
    state = applyProgress(state, progress('r', { completed: 40, elapsedMs: 1000, window: { requests: 0, p50: 0, p99: 0 } }));
    state = applyProgress(state, progress('other', { completed: 99 }));
    const run = state.runs[0];
    expect(run?.series.t).toEqual([0.5, 1]);
    expect(run?.series.rps).toEqual([80, 0]);
    expect(run?.series.p50[0]).toBe(2);
    expect(Number.isNaN(run?.series.p99[1])).toBe(true);
    expect(run?.fraction).toBe(0.4);
    expect(run?.histogram).toEqual([1, 39]);
    const timed = applyProgress(startRun(initialLabState(), newRun('d', { to: 'lb', durationSeconds: 4 }, 'x', 0)), progress('d', { elapsedMs: 1000, planned: { durationSeconds: 4 } }));
    expect(timed.runs[0]?.fraction).toBe(0.25);
  });

  it('finishes, cancels and fails runs, freeing the active slot', () => {
    let state = startRun(initialLabState(), newRun('r', { to: 'lb' }, 'x', 0));
    expect(state.activeRunId).toBe('r');
    state = finishRun(state, 'r', result());
    expect(state.runs[0]).toMatchObject({ phase: 'done', fraction: 1, completed: 100 });
    expect(state.activeRunId).toBeNull();
    state = finishRun(startRun(state, newRun('c', { to: 'lb' }, 'x', 0)), 'c', result({ aborted: true }));
    expect(state.runs[1]?.phase).toBe('cancelled');
    state = failRun(startRun(state, newRun('f', { to: 'lb' }, 'x', 0)), 'f', 'no lab');
    expect(state.runs[2]).toMatchObject({ phase: 'failed', error: 'no lab' });
  });

  it('computes the share per backend in id order', () => {
    expect(backendShares({ b: 30, a: 10 })).toEqual([
      { id: 'a', count: 10, share: 0.25 },
      { id: 'b', count: 30, share: 0.75 },
    ]);
    expect(backendShares({})).toEqual([]);
  });
});
