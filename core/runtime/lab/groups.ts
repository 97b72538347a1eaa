import type { HealthCheck, Latency } from '../../model/types.js';
import type { Endpoint } from '../services/types.js';
import type { LabGroupStatus, LabLogEvent } from './events.js';
import type { DesignedAddress, PlannedGroup, PlannedService } from './plan-types.js';
import { pause, waitUntilHealthy } from './readiness.js';
import { scalingDecision } from './scaling.js';

/** Samples averaged by target tracking: about one second at the default interval. */
const SCALING_WINDOW = 4;
/** How long a removed instance may finish its in-flight requests before it stops, ms. */
const DRAIN_MS = 5000;

/** One instance to start: a backend (or command) standing for `group#n`. */
export interface InstanceSpec extends PlannedService {
  id: string;
  group: string;
}

/** What a scaling group needs from the lab that runs it. */
export interface GroupHost {
  /** Aborts when the lab stops: health waits and drains end at once. */
  readonly signal: AbortSignal;
  isRunning(): boolean;
  /** Starts an instance's service, left `starting`; resolves its endpoint. */
  launch(spec: InstanceSpec): Promise<Endpoint>;
  /** The instance passed its checks: mark it healthy. */
  markHealthy(id: string): void;
  /** Stops an instance's service and forgets it. */
  remove(id: string): Promise<void>;
  /** The group's serving instances changed: re-send the balancers' target lists. */
  poolChanged(groupId: string): void;
  /** The health check of the first balancer in front of the group, if any. */
  healthCheckFor(groupId: string): HealthCheck | undefined;
  /** Requests the balancers have in flight to an instance now. */
  inFlight(id: string): number;
  log(level: LabLogEvent['level'], message: string, nodeId: string, data?: LabLogEvent['data']): void;
}

/**
 * One auto-scaling group while the lab runs: its instances (serving and launching),
 * target tracking on the sampled metric, scale-out through health checks and drained
 * scale-in. At most one scaling step runs at a time.
 */
export class ScalingGroup {
  desired: number;
  /** Instance ids serving traffic (joined their balancers), oldest first. */
  ready: string[] = [];
  /** Instance ids started but not yet through their health checks. */
  launching: string[] = [];
  /** Injected while running; instances started later get them too. */
  latency?: Latency;
  errorRate?: number;
  private samples: number[] = [];
  private lastScaleAt?: number;
  private busy = false;

  constructor(
    readonly plan: PlannedGroup,
    private readonly host: GroupHost,
  ) {
    this.desired = plan.desired;
  }

  get id(): string {
    return this.plan.nodeId;
  }

  /** The spec of the next instance: the lowest free slot `group#n`, with its designed address. */
  nextInstance(): InstanceSpec {
    const taken = new Set([...this.ready, ...this.launching]);
    let slot = 1;
    while (taken.has(`${this.id}#${slot}`)) slot++;
    const template = { ...this.plan.template };
    if (this.latency !== undefined) template.latency = this.latency;
    if (this.errorRate !== undefined) template.errorRate = this.errorRate;
    return {
      id: `${this.id}#${slot}`,
      nodeId: this.id,
      group: this.id,
      role: template.command ? 'command' : 'backend',
      address: this.plan.instanceAddresses[slot - 1] as DesignedAddress,
      upstreams: [],
      backend: template,
      published: false,
    };
  }

  /**
   * Feeds one sample of the tracked metric (summed over serving instances) and starts a
   * scaling step when target tracking asks for one; returns that step so the lab can wait
   * for it on stop.
   */
  observe(value: number, now: number): Promise<void> | undefined {
    const tracking = this.plan.targetTracking;
    if (!tracking) return undefined;
    this.samples.push(value);
    if (this.samples.length > SCALING_WINDOW) this.samples.shift();
    if (this.busy) return undefined;
    const decision = scalingDecision(
      { metric: tracking.metric, target: tracking.target, cooldownMs: tracking.cooldownSeconds * 1000, min: this.plan.min, max: this.plan.max, window: SCALING_WINDOW },
      { current: this.ready.length + this.launching.length, samples: this.samples, now, ...(this.lastScaleAt !== undefined ? { lastScaleAt: this.lastScaleAt } : {}) },
    );
    if (!decision) return undefined;
    const from = this.ready.length + this.launching.length;
    this.busy = true;
    this.desired = decision.desired;
    this.host.log('info', `${this.id} scales ${decision.direction}: ${decision.reason}`, this.id, { group: this.id, from, to: decision.desired, direction: decision.direction });
    const step = decision.direction === 'out' ? this.scaleOut(decision.desired - from) : this.scaleIn();
    return step
      .catch((error: unknown) => this.host.log('error', `scaling ${this.id} failed: ${messageOf(error)}`, this.id))
      .finally(() => {
        this.busy = false;
        // The cool-down runs from the end of the change (a scale-out lasts as long as the
        // new instances' health checks), and the next decision uses only samples taken
        // after it, with the new capacity serving. Date.now() is the clock of `now`.
        this.lastScaleAt = Date.now();
        this.samples = [];
      });
  }

  status(): LabGroupStatus {
    return { id: this.id, min: this.plan.min, max: this.plan.max, desired: this.desired, instances: [...this.ready], launching: [...this.launching] };
  }

  private async scaleOut(count: number): Promise<void> {
    const launches: Promise<void>[] = [];
    for (let i = 0; i < count; i++) launches.push(this.launch());
    await Promise.all(launches);
  }

  /** Starts one instance and lets it join the pool only once it passes health checks. */
  private async launch(): Promise<void> {
    const spec = this.nextInstance();
    this.launching.push(spec.id);
    try {
      const endpoint = await this.host.launch(spec);
      const attempts = await waitUntilHealthy(endpoint, this.host.healthCheckFor(this.id), this.host.signal);
      if (!this.host.isRunning()) return;
      this.launching = this.launching.filter((id) => id !== spec.id);
      this.ready.push(spec.id);
      this.host.markHealthy(spec.id);
      this.host.poolChanged(this.id);
      this.host.log('info', `${spec.id} passed ${attempts} health check${attempts === 1 ? '' : 's'} and joined the pool of ${this.id}`, spec.id, { group: this.id, instance: spec.id, joined: true });
    } catch (error) {
      this.launching = this.launching.filter((id) => id !== spec.id);
      if (this.host.isRunning()) {
        this.host.log('error', `${spec.id} did not join ${this.id}: ${messageOf(error)}`, spec.id);
        await this.host.remove(spec.id);
      }
    }
  }

  /** Takes the newest instance out of the pool, lets it drain, then stops it. */
  private async scaleIn(): Promise<void> {
    const victim = this.ready.at(-1);
    if (!victim) return;
    this.ready = this.ready.filter((id) => id !== victim);
    this.host.poolChanged(this.id);
    await this.drain(victim);
    await this.host.remove(victim);
  }

  private async drain(id: string): Promise<void> {
    const deadline = Date.now() + DRAIN_MS;
    const signal = this.host.signal;
    while (Date.now() < deadline && !signal.aborted && this.host.inFlight(id) > 0) await pause(50, signal);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
