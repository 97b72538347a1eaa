import type { ApiRefusal, EventPayload, LabProgressEvent, MethodInput, MethodOutput } from '../../core/api/contract/index.js';

/** The lab as `lab.status` answers it. */
export type LabStatus = MethodOutput<'lab.status'>;
/** One running node (a design node or an auto-scaling instance `asg#2`). */
export type LabNodeStatus = LabStatus['nodes'][number];
/** One auto-scaling group's capacity. */
export type LabGroupStatus = LabStatus['groups'][number];
/** A node state: starting, healthy, unhealthy, stopped, crashed. */
export type NodeState = LabNodeStatus['state'];
/** A row of the endpoint table. */
export type LabEndpoint = MethodOutput<'lab.start'>['endpoints'][number];
/** Pushed a few times a second while the lab runs. */
export type LabMetricsEvent = EventPayload<'lab.metrics'>;
/** One service's counters. */
export type NodeMetrics = LabMetricsEvent['nodes'][number];
/** One lab log line. */
export type LabLogEvent = EventPayload<'lab.log'>;
/** A node or lab state change. */
export type LabStatusEvent = EventPayload<'lab.status'>;
/** Summary of a load run. */
export type LoadResult = MethodOutput<'lab.load'>;
/** What `lab.load` takes. */
export type LoadInput = MethodInput<'lab.load'>;
/** What one request through the lab answered. */
export type SingleRequestResult = MethodOutput<'lab.request'>;
/** What `lab.request` takes. */
export type RequestInput = MethodInput<'lab.request'>;
/** What `lab.inject` takes. */
export type FaultInput = MethodInput<'lab.inject'>;
/** What `lab.configure` takes. */
export type ConfigureInput = MethodInput<'lab.configure'>;
export type { LabProgressEvent };

/** Time series of one traffic run, one point per progress event (t in seconds since its start). */
export interface RunSeries {
  t: number[];
  rps: number[];
  p50: number[];
  p99: number[];
}

/** A traffic run: what was asked, how far it got, and its result. */
export interface TrafficRun {
  id: string;
  /** Epoch ms when it was started. */
  startedAt: number;
  input: LoadInput;
  /** A readable one-liner: "200 × GET / browser → nginx (c=10)". */
  label: string;
  series: RunSeries;
  status: Record<string, number>;
  byServer: Record<string, number>;
  histogram: number[];
  completed: number;
  /** 0..1 (requests done of planned, or time of duration). */
  fraction: number;
  phase: 'running' | 'cancelling' | 'done' | 'cancelled' | 'failed';
  result?: LoadResult;
  error?: string;
  /** Set when the design refused the run's first leg (nothing sent): the design's answer, shown as such rather than as `error`. */
  refusal?: ApiRefusal;
}

/** One scale event of an auto-scaling group, for the timeline. */
export interface ScaleEvent {
  at: number;
  group: string;
  from: number;
  to: number;
  direction: string;
}
