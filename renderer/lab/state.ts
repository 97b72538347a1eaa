import type { ApiRefusal } from '../../core/api/contract/index.js';
import type { Topology } from '../../core/model/index.js';
import type {
  LabEndpoint,
  LabGroupStatus,
  LabLogEvent,
  LabMetricsEvent,
  LabNodeStatus,
  LabProgressEvent,
  LabStatus,
  LabStatusEvent,
  LoadResult,
  NodeMetrics,
  ScaleEvent,
  TrafficRun,
} from './types.js';

/** Where the lab is, as the canvas shows it. */
export type LabPhase = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

/** Live capacity of a group from the metrics stream. */
export interface GroupLive {
  instances: number;
  desired: number;
  metric?: { name: string; value: number; target: number };
}

/** Everything lab mode shows: derived from the lab's events and the calls the UI made. */
export interface LabViewState {
  phase: LabPhase;
  /** The document as launched: structural edits are refused against it while the lab runs. */
  launched: Topology | null;
  nodes: Record<string, LabNodeStatus>;
  groups: Record<string, LabGroupStatus>;
  groupLive: Record<string, GroupLive>;
  /** Routes dropped by faults, as the lab reports them. */
  droppedRoutes: LabStatus['droppedRoutes'];
  endpoints: LabEndpoint[];
  metrics: Record<string, NodeMetrics>;
  /** Requests per second per node, from the last two metrics events. */
  nodeRates: Record<string, number>;
  /** Requests per second a forwarder sends to each of its targets. */
  upstreamRates: Record<string, Record<string, number>>;
  /** The lab DNS's counters from the last metrics event (answers per value per zone), when the design has zones. */
  dns: LabMetricsEvent['dns'] | null;
  lastMetricsAt: number;
  scaleEvents: ScaleEvent[];
  log: LabLogEvent[];
  /** Traffic runs of this session, oldest first (bounded). */
  runs: TrafficRun[];
  activeRunId: string | null;
  /** The last failure to show (launch refused, call failed). */
  error: string | null;
  startedAt: number | null;
}

/** Log lines kept: enough to scroll back, bounded so a long session stays light. */
export const MAX_LOG = 300;
/** Traffic runs kept for reports and comparisons. */
export const MAX_RUNS = 20;

/** The state before anything was launched. */
export function initialLabState(): LabViewState {
  return {
    phase: 'idle',
    launched: null,
    nodes: {},
    groups: {},
    groupLive: {},
    droppedRoutes: [],
    endpoints: [],
    metrics: {},
    nodeRates: {},
    upstreamRates: {},
    dns: null,
    lastMetricsAt: 0,
    scaleEvents: [],
    log: [],
    runs: [],
    activeRunId: null,
    error: null,
    startedAt: null,
  };
}

/** Whether the lab is up (or coming up): the design is locked and the canvas shows states. */
export function isLive(phase: LabPhase): boolean {
  return phase === 'starting' || phase === 'running';
}

function phaseOf(lab: LabStatus['state']): LabPhase {
  return lab === 'idle' ? 'idle' : lab;
}

/** A launch begins: the document is pinned and every previous lab's traces are cleared. */
export function beginLaunch(state: LabViewState, doc: Topology, now: number): LabViewState {
  return {
    ...initialLabState(),
    runs: state.runs,
    phase: 'starting',
    launched: doc,
    startedAt: now,
  };
}

/** The whole lab status (start answer, `lab.status`, `lab.inject` answer). */
export function applyStatus(state: LabViewState, status: LabStatus, endpoints?: LabEndpoint[]): LabViewState {
  const nodes: Record<string, LabNodeStatus> = {};
  for (const node of status.nodes) nodes[node.id] = node;
  const groups: Record<string, LabGroupStatus> = {};
  for (const group of status.groups) groups[group.id] = group;
  return { ...state, phase: phaseOf(status.state), nodes, groups, droppedRoutes: status.droppedRoutes, ...(endpoints ? { endpoints } : {}) };
}

/** One `lab.status` event: the lab's state and maybe one node's. */
export function applyStatusEvent(state: LabViewState, event: LabStatusEvent): LabViewState {
  const phase = phaseOf(event.lab);
  if (!event.node && phase === state.phase) return state;
  const nodes = event.node ? { ...state.nodes, [event.node.id]: event.node } : state.nodes;
  return { ...state, phase, nodes };
}

/** The lab stopped (the stop call answered): every node shows stopped, rates drop to zero. */
export function applyStopped(state: LabViewState): LabViewState {
  const nodes: Record<string, LabNodeStatus> = {};
  for (const [id, node] of Object.entries(state.nodes)) {
    const { url: _url, ...rest } = node;
    nodes[id] = { ...rest, state: 'stopped', reason: 'the lab was stopped' };
  }
  return { ...state, phase: 'stopped', nodes, nodeRates: {}, upstreamRates: {}, dns: null, endpoints: [] };
}

/**
 * One metrics event: keeps the counters and turns the difference to the previous event
 * into rates per node and per balancer target (what the canvas animates).
 */
export function applyMetrics(state: LabViewState, event: LabMetricsEvent): LabViewState {
  const seconds = state.lastMetricsAt > 0 ? (event.at - state.lastMetricsAt) / 1000 : 0;
  const metrics: Record<string, NodeMetrics> = {};
  const nodeRates: Record<string, number> = {};
  const upstreamRates: Record<string, Record<string, number>> = {};
  for (const node of event.nodes) {
    metrics[node.nodeId] = node;
    const before = state.metrics[node.nodeId];
    if (!before || seconds <= 0) continue;
    nodeRates[node.nodeId] = Math.max(0, node.requests - before.requests) / seconds;
    if (node.upstreams) {
      const rates: Record<string, number> = {};
      for (const [target, up] of Object.entries(node.upstreams)) {
        const previous = before.upstreams?.[target]?.chosen ?? up.chosen;
        rates[target] = Math.max(0, up.chosen - previous) / seconds;
      }
      upstreamRates[node.nodeId] = rates;
    }
  }
  const groupLive: Record<string, GroupLive> = {};
  for (const group of event.groups) {
    groupLive[group.id] = { instances: group.instances, desired: group.desired, ...(group.metric ? { metric: group.metric } : {}) };
  }
  return { ...state, metrics, nodeRates, upstreamRates, groupLive, dns: event.dns ?? null, lastMetricsAt: event.at };
}

/** One log line; scale events also go on the timeline. */
export function applyLog(state: LabViewState, event: LabLogEvent): LabViewState {
  const log = [...state.log.slice(-(MAX_LOG - 1)), event];
  const data = event.data;
  if (event.topic !== 'scale' || !data || typeof data['group'] !== 'string') return { ...state, log };
  const scale: ScaleEvent = {
    at: event.at,
    group: data['group'],
    from: Number(data['from'] ?? 0),
    to: Number(data['to'] ?? 0),
    direction: String(data['direction'] ?? ''),
  };
  return { ...state, log, scaleEvents: [...state.scaleEvents.slice(-199), scale] };
}

/** Requests per second on a drawn traffic edge: what the forwarder sends to the target (or its instances), or what a client sends. */
export function edgeRate(state: LabViewState, from: string, to: string, fromIsClient: boolean): number {
  const rates = state.upstreamRates[from];
  if (rates) {
    let sum = 0;
    for (const [target, rate] of Object.entries(rates)) if (target === to || target.startsWith(`${to}#`)) sum += rate;
    return sum;
  }
  return fromIsClient ? (state.nodeRates[to] ?? 0) : 0;
}

// ---- traffic runs ------------------------------------------------------------------------

/** A new run, with empty series. */
export function newRun(id: string, input: TrafficRun['input'], label: string, now: number): TrafficRun {
  return { id, startedAt: now, input, label, series: { t: [], rps: [], p50: [], p99: [] }, status: {}, byServer: {}, histogram: [], completed: 0, fraction: 0, phase: 'running' };
}

/** Adds a run and makes it the active one. */
export function startRun(state: LabViewState, run: TrafficRun): LabViewState {
  return { ...state, runs: [...state.runs.slice(-(MAX_RUNS - 1)), run], activeRunId: run.id };
}

function updateRun(state: LabViewState, id: string, update: (run: TrafficRun) => TrafficRun): LabViewState {
  let changed = false;
  const runs = state.runs.map((run) => {
    if (run.id !== id) return run;
    changed = true;
    return update(run);
  });
  return changed ? { ...state, runs } : state;
}

/** One progress event: a point on each series, the counts, and the progress fraction. */
export function applyProgress(state: LabViewState, event: LabProgressEvent): LabViewState {
  return updateRun(state, event.runId, (run) => {
    const series = run.series;
    const previousT = series.t.at(-1) ?? 0;
    const t = event.elapsedMs / 1000;
    const dt = t - previousT;
    const previousCompleted = run.completed;
    const windowCount = event.window ? event.window.requests : event.completed - previousCompleted;
    const next = { ...series };
    if (dt > 0.02) {
      next.t = [...series.t, t];
      next.rps = [...series.rps, windowCount / dt];
      next.p50 = [...series.p50, event.window && event.window.requests > 0 ? event.window.p50 : Number.NaN];
      next.p99 = [...series.p99, event.window && event.window.requests > 0 ? event.window.p99 : Number.NaN];
    }
    const planned = event.planned;
    const fraction = planned.requests ? event.completed / planned.requests : planned.durationSeconds ? event.elapsedMs / (planned.durationSeconds * 1000) : 0;
    return {
      ...run,
      series: next,
      status: event.status,
      byServer: event.byServer,
      histogram: event.histogram ?? run.histogram,
      completed: event.completed,
      fraction: Math.min(1, Math.max(run.fraction, fraction)),
    };
  });
}

/** The run's call answered. */
export function finishRun(state: LabViewState, id: string, result: LoadResult): LabViewState {
  const next = updateRun(state, id, (run) => ({
    ...run,
    result,
    status: result.status,
    byServer: result.byServer,
    completed: result.requests,
    fraction: result.aborted ? run.fraction : 1,
    phase: result.aborted ? 'cancelled' : 'done',
  }));
  return { ...next, activeRunId: next.activeRunId === id ? null : next.activeRunId };
}

/** The run's call failed (`refusal`: because the design refused its first leg). */
export function failRun(state: LabViewState, id: string, error: string, refusal?: ApiRefusal): LabViewState {
  const next = updateRun(state, id, (run) => ({ ...run, phase: 'failed', error, ...(refusal ? { refusal } : {}) }));
  return { ...next, activeRunId: next.activeRunId === id ? null : next.activeRunId };
}

/** Cancel was asked for. */
export function markCancelling(state: LabViewState, id: string): LabViewState {
  return updateRun(state, id, (run) => (run.phase === 'running' ? { ...run, phase: 'cancelling' } : run));
}

/** Share of each backend in a run's answers, sorted by id (for the bars and the even-split check). */
export function backendShares(byServer: Record<string, number>): { id: string; count: number; share: number }[] {
  const total = Object.values(byServer).reduce((a, b) => a + b, 0);
  return Object.keys(byServer)
    .sort()
    .map((id) => ({ id, count: byServer[id] ?? 0, share: total > 0 ? (byServer[id] ?? 0) / total : 0 }));
}

/** How often the lab's DNS answered `data` for a record set (`www.shop.example A`) of a zone; undefined while no lab DNS reports. */
export function dnsAnswerCount(state: LabViewState, zoneId: string, recordSet: string, data: string): number | undefined {
  const zone = state.dns?.zones.find((z) => z.zoneId === zoneId);
  if (!zone) return undefined;
  return zone.answers[recordSet]?.[data] ?? 0;
}
