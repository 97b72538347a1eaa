// The shapes the lab reports are the contract's (zod schemas in core/api/contract/lab-results.ts);
// the runtime implements them.
import type { LabLogEvent, LabMetricsEvent, LabStatusEvent } from '../../api/contract/lab-results.js';

export type {
  LabEndpoint,
  LabGroupStatus,
  LabLogEvent,
  LabLogTopic,
  LabMetricsEvent,
  LabNodeStatus,
  LabState,
  LabStatus,
  LabStatusEvent,
  NodeState,
} from '../../api/contract/lab-results.js';

/** Everything a lab emits, tagged. */
export type LabEvent =
  | { type: 'status'; event: LabStatusEvent }
  | { type: 'metrics'; event: LabMetricsEvent }
  | { type: 'log'; event: LabLogEvent };

export type LabEventListener = (event: LabEvent) => void;
