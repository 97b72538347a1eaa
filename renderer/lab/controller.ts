import { ApiError, type ApiClient, type MethodInput, type MethodOutput } from '../../core/api/contract/index.js';
import type { Topology } from '../../core/model/index.js';
import { LAB_RUNS_ANYWAY, validateTopology, type Diagnostic } from '../../core/validate/index.js';
import { Store } from '../store/store.js';
import {
  applyLog,
  applyMetrics,
  applyProgress,
  applyStatus,
  applyStatusEvent,
  applyStopped,
  beginLaunch,
  failRun,
  finishRun,
  initialLabState,
  markCancelling,
  newRun,
  startRun,
  type LabViewState,
} from './state.js';
import type { ConfigureInput, FaultInput, LoadInput, LoadResult, RequestInput, SingleRequestResult } from './types.js';

/** What the pre-launch check found: errors refuse the launch, warnings ask first. */
export interface Preflight {
  errors: Diagnostic[];
  /** Warnings, and the errors the lab runs anyway (a blocked connection, which it refuses as the network would), first. */
  warnings: Diagnostic[];
}

/**
 * The `lab.start` input for a launch from the app. A saved design names its file (its name in
 * the served folder), so the lab reads an API gateway's secret files (API keys, users, JWKS)
 * and keeps the project's CA (`.topolab/`) beside the design, as `topolab up FILE` does; an
 * unsaved design has no folder (a gateway with secret files then refuses to start, saying so).
 */
export function labStartInput(doc: Topology, options: { allowCommands?: boolean; mode?: 'loopback' | 'netns'; design?: string | null }): MethodInput<'lab.start'> {
  return {
    topology: doc,
    ...(options.allowCommands ? { allowCommands: true } : {}),
    ...(options.mode === 'netns' ? { mode: 'netns' as const } : {}),
    ...(options.design ? { design: options.design } : {}),
  };
}

/**
 * Splits a design's diagnostics into what refuses a launch and what only asks first, as the
 * lab itself decides (`LAB_RUNS_ANYWAY`: a blocked connection runs, and shows as refused). Pure.
 */
export function preflight(doc: Topology): Preflight {
  const diagnostics = validateTopology(doc);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  return {
    errors: errors.filter((d) => !LAB_RUNS_ANYWAY.has(d.code)),
    warnings: [...errors.filter((d) => LAB_RUNS_ANYWAY.has(d.code)), ...diagnostics.filter((d) => d.severity === 'warning')],
  };
}

/** A readable message for any rejection (ApiError carries its issues). */
export function failureText(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) {
    const issues = (error as { issues?: { path?: string; message: string }[] }).issues;
    const base = String((error as { message: unknown }).message);
    return issues && issues.length > 0 ? `${base}\n${issues.map((i) => `• ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n')}` : base;
  }
  return String(error);
}

/** How a launch ended. */
export type LaunchOutcome =
  | { outcome: 'started' }
  | { outcome: 'failed' }
  /** The design runs user commands: the service wants the user's consent first. */
  | { outcome: 'needs-consent'; message: string; commands: { nodeId: string; command: string }[] };

let runCounter = 0;

/** "200 × GET / browser → nginx (c=10)"; "… over HTTPS (c=10)" for a run to the TLS listener. */
export function runLabel(input: LoadInput): string {
  const amount = input.durationSeconds !== undefined ? `${input.durationSeconds} s of` : `${input.requests ?? 100} ×`;
  const route = `${input.from ? `${input.from} → ` : ''}${input.via ? `${input.via} ⇒ ` : ''}${input.to}`;
  return `${amount} ${input.method ?? 'GET'} ${input.path ?? '/'} ${route}${input.https ? ' over HTTPS' : ''} (c=${input.concurrency ?? 10})`;
}

/**
 * Lab mode's one controller: calls the lab methods through the API client and folds the
 * lab's events (status, metrics, log, progress) into one store the panels and the canvas
 * read. One per app; the UI never talks to the lab any other way.
 */
export class LabController {
  readonly store = new Store<LabViewState>(initialLabState());
  private detach: (() => void) | undefined;

  constructor(
    private readonly api: ApiClient | null,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): LabViewState {
    return this.store.getState();
  }

  /** Subscribes to the lab's events and picks up a lab already running on the service (a reload). */
  attach(currentDoc: () => Topology): () => void {
    if (!this.api || this.detach) return () => undefined;
    const api = this.api;
    const offs = [
      api.subscribe('lab.status', (event) => this.store.update((s) => applyStatusEvent(s, event))),
      api.subscribe('lab.metrics', (event) => this.store.update((s) => (s.phase === 'running' || s.phase === 'starting' ? applyMetrics(s, event) : s))),
      api.subscribe('lab.log', (event) => this.store.update((s) => applyLog(s, event))),
      api.subscribe('lab.progress', (event) => this.store.update((s) => applyProgress(s, event))),
    ];
    this.detach = () => {
      for (const off of offs) off();
      this.detach = undefined;
    };
    void api.call('lab.status', {}).then(
      (status) => {
        if (status.state !== 'running' || this.state.phase !== 'idle') return;
        this.store.update((s) => applyStatus({ ...s, launched: currentDoc(), startedAt: this.now() }, status, status.nodes.filter((n) => n.url).map((n) => ({ id: n.id, address: n.address, url: n.url ?? '' }))));
      },
      () => undefined,
    );
    return this.detach;
  }

  private requireApi(): ApiClient {
    if (!this.api) throw new Error('No connection to the Topolab service: start the app with `topolab serve` or the desktop app.');
    return this.api;
  }

  /**
   * Starts the design (checks done by the caller: see `preflight`). Resolves `started`, or
   * `failed` (see state.error), or `needs-consent` with the user commands the design would
   * run on this machine: launch again with `allowCommands` once the user agreed.
   */
  async launch(doc: Topology, options: { allowCommands?: boolean; mode?: 'loopback' | 'netns'; design?: string | null } = {}): Promise<LaunchOutcome> {
    const api = this.requireApi();
    this.store.update((s) => beginLaunch(s, doc, this.now()));
    try {
      const started = await api.call('lab.start', labStartInput(doc, options));
      this.store.update((s) => applyStatus(s, started.status, started.endpoints));
      return { outcome: 'started' };
    } catch (error) {
      const consent = error instanceof ApiError && error.code === 'forbidden' && !options.allowCommands;
      this.store.update((s) => ({ ...s, phase: 'idle', launched: null, nodes: {}, error: consent ? null : `The lab did not start: ${failureText(error)}` }));
      if (consent) return { outcome: 'needs-consent', commands: (error.issues ?? []).map((i) => ({ nodeId: i.path ?? '', command: i.message })), message: error.message };
      return { outcome: 'failed' };
    }
  }

  /** Whether the kernel lab (network namespaces) can run where the service runs; false when it cannot or the service does not say. */
  async kernelLabAvailable(): Promise<boolean> {
    try {
      const { modes } = await this.requireApi().call('lab.modes', {});
      return modes.some((m) => m.mode === 'netns' && m.available);
    } catch {
      return false;
    }
  }

  /** Runs one of the running design's scenarios; rejects when it cannot run. */
  scenario(name: string): Promise<MethodOutput<'lab.scenario'>> {
    return this.requireApi().call('lab.scenario', { name });
  }

  /** Stops the lab; every node shows stopped. */
  async stop(): Promise<void> {
    const api = this.requireApi();
    this.store.update((s) => ({ ...s, phase: 'stopping' }));
    try {
      await api.call('lab.stop', {});
    } finally {
      this.store.update((s) => ({ ...applyStopped(s), launched: null }));
    }
  }

  /** Injects a fault; the answer's status updates every node at once. Resolves the lab's sentence. */
  async inject(fault: FaultInput): Promise<string> {
    const reply = await this.requireApi().call('lab.inject', fault);
    this.store.update((s) => applyStatus(s, reply.status));
    return reply.message;
  }

  /** Applies a live property edit (weight, health check, algorithm). Resolves the lab's sentence. */
  async configure(change: ConfigureInput): Promise<string> {
    const reply = await this.requireApi().call('lab.configure', change);
    this.store.update((s) => applyStatus(s, reply.status));
    return reply.message;
  }

  /** Starts a traffic run (its progress arrives as events); resolves its summary, or undefined when it failed. */
  async runTraffic(input: Omit<LoadInput, 'runId'>): Promise<LoadResult | undefined> {
    const api = this.requireApi();
    runCounter += 1;
    const id = `run-${this.now().toString(36)}-${runCounter}`;
    const full: LoadInput = { ...input, runId: id };
    this.store.update((s) => startRun(s, newRun(id, full, runLabel(full), this.now())));
    try {
      const result = await api.call('lab.load', full);
      this.store.update((s) => finishRun(s, id, result));
      return result;
    } catch (error) {
      // The design refusing the first leg is its answer (who, where, why), kept field by field for the panel.
      const refusal = error instanceof ApiError ? error.refusal : undefined;
      this.store.update((s) => failRun(s, id, failureText(error), refusal));
      return undefined;
    }
  }

  /** Cancels the active run. */
  async cancel(): Promise<void> {
    const id = this.state.activeRunId;
    if (!id) return;
    this.store.update((s) => markCancelling(s, id));
    await this.requireApi().call('lab.cancel', { runId: id });
  }

  /** Sends one request through the lab. */
  request(input: RequestInput): Promise<SingleRequestResult> {
    return this.requireApi().call('lab.request', input);
  }

  /** Clears the error banner. */
  dismissError(): void {
    this.store.update((s) => (s.error ? { ...s, error: null } : s));
  }

  /** Records an error to show. */
  showError(message: string): void {
    this.store.update((s) => ({ ...s, error: message }));
  }
}
