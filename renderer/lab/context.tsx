import { createContext, useContext, type ReactNode } from 'react';
import type { Topology } from '../../core/model/index.js';
import { apiClient } from '../lib/api.js';
import { useStore } from '../store/useStore.js';
import { LabController } from './controller.js';
import { edgeRate, isLive, type LabViewState } from './state.js';
import type { LabNodeStatus, NodeMetrics } from './types.js';

let shared: LabController | undefined;

/** The app's lab controller (created on first use, on the app's API client). */
export function sharedLabController(): LabController {
  shared ??= new LabController(apiClient());
  return shared;
}

const LabContext = createContext<LabController | null>(null);

/** Provides a lab controller (tests pass their own); without it the shared one is used. */
export function LabProvider({ controller, children }: { controller: LabController; children: ReactNode }) {
  return <LabContext.Provider value={controller}>{children}</LabContext.Provider>;
}

/** The lab controller of this part of the tree. */
export function useLabController(): LabController {
  return useContext(LabContext) ?? sharedLabController();
}

/** A slice of the lab state; re-renders only when the slice changes. */
export function useLab<T>(selector: (state: LabViewState) => T, equal?: (a: T, b: T) => boolean): T {
  return useStore(useLabController().store, selector, equal);
}

/** What the canvas shows on one node while the lab is live. */
export interface NodeOverlayData {
  status?: LabNodeStatus;
  metrics?: NodeMetrics;
  rate: number;
}

/** Lab facts of one node (extension point read by the canvas node components). */
export function useLabNode(id: string): NodeOverlayData | null {
  const live = useLab((s) => isLive(s.phase) || s.phase === 'stopping' || s.phase === 'stopped');
  const status = useLab((s) => s.nodes[id]);
  const metrics = useLab((s) => s.metrics[id]);
  const rate = useLab((s) => Math.round((s.nodeRates[id] ?? 0) * 10) / 10);
  if (!live) return null;
  return { ...(status ? { status } : {}), ...(metrics ? { metrics } : {}), rate };
}

const clientsOf = new WeakMap<Topology, ReadonlySet<string>>();

/** Client node ids of a launched design, computed once per design (every edge asks on every metrics tick). */
function clientIds(doc: Topology): ReadonlySet<string> {
  let ids = clientsOf.get(doc);
  if (!ids) {
    ids = new Set(doc.nodes.filter((n) => n.kind === 'client').map((n) => n.id));
    clientsOf.set(doc, ids);
  }
  return ids;
}

/** Requests per second on a drawn traffic edge while the lab runs (0 otherwise), rounded so idle edges do not re-render. */
export function useLabEdgeRate(from: string, to: string): number {
  return useLab((s) => {
    if (s.phase !== 'running' || !s.launched) return 0;
    return Math.round(edgeRate(s, from, to, clientIds(s.launched).has(from)) * 10) / 10;
  });
}
