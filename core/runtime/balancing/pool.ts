import { allowAll, type BalancingAlgorithm, type ConnectGate, type GateBlock, type PassiveEjection, type ServiceEvent, type UpstreamMetrics, type UpstreamTarget } from '../services/types.js';
import { fnv1a, pick, type Candidate, type PickState } from './algorithms.js';

/** One target's live state. */
export class TargetState implements Candidate {
  readonly nodeId: string;
  readonly idHash: number;
  target: UpstreamTarget;
  weight: number;
  currentWeight = 0;
  active = 0;
  chosen = 0;
  failures = 0;
  /** Active health check verdict. */
  healthy: boolean;
  consecutiveFailures = 0;
  /** Epoch ms until which passive ejection keeps it out (0: not ejected). */
  ejectedUntil = 0;
  reason: string | undefined;
  /** Set while the design's routing blocks the flow to this target: it is never picked. */
  blocked: GateBlock | undefined;

  constructor(target: UpstreamTarget, healthy: boolean) {
    this.nodeId = target.nodeId;
    this.idHash = fnv1a(target.nodeId);
    this.target = target;
    this.weight = target.weight ?? 1;
    this.healthy = healthy;
  }
}

/** Passive ejection with defaults filled in. */
type PassiveSettings = Required<PassiveEjection>;

/** How a pool is wired: the routing gate it asks about every target, and the random source of `random-two`. */
export interface PoolOptions {
  /** The design's routing (default: everything allowed). */
  gate?: ConnectGate;
  random?: () => number;
}

/**
 * The targets of one balancer (or one proxy rule): health, passive ejection, in-flight
 * counts, routing and the algorithm's picks. Eligible targets are cached and rebuilt only
 * when something changes, so a pick is a loop over a small array.
 *
 * Routing: the pool asks the gate about every target when the list is set (the lab sets
 * it again whenever the design's routing changes). A target whose flow the design blocks
 * is never picked, whatever its health checks say (they probe it on loopback, where
 * nothing blocks), and is reported unhealthy with the blocker as the reason, as a real
 * balancer whose checks cannot reach a target reports it.
 */
export class TargetPool {
  private states: TargetState[] = [];
  private readonly byId = new Map<string, TargetState>();
  private eligible: TargetState[] = [];
  private dirty = true;
  /** Earliest ejection expiry; picks re-check eligibility after it. */
  private nextExpiry = Infinity;
  private readonly state: PickState = { next: 0 };
  private readonly passive: PassiveSettings;
  private readonly gate: ConnectGate;
  private readonly random: () => number;
  /** One timer per ejected target: its ejection's end is reported as it happens. */
  private readonly ejections = new Map<TargetState, NodeJS.Timeout>();

  constructor(
    private readonly nodeId: string,
    public algorithm: BalancingAlgorithm,
    passive: PassiveEjection | undefined,
    private readonly emit: (event: ServiceEvent) => void,
    options: PoolOptions = {},
  ) {
    this.gate = options.gate ?? allowAll;
    this.random = options.random ?? Math.random;
    this.passive = {
      consecutiveFailures: passive?.consecutiveFailures ?? 3,
      ejectMs: passive?.ejectMs ?? 5_000,
      maxEjectedShare: passive?.maxEjectedShare ?? 0.5,
    };
  }

  /**
   * Replaces the target list, keeping the state of ids that stay, and asks the routing gate
   * about every target again. New ids start healthy unless `newTargetsHealthy` is false
   * (active checks on: they must pass `rise` checks first).
   */
  setTargets(targets: readonly UpstreamTarget[], newTargetsHealthy = true): void {
    const next: TargetState[] = [];
    for (const target of targets) {
      let state = this.byId.get(target.nodeId);
      if (state === undefined) state = new TargetState(target, newTargetsHealthy);
      state.target = target;
      state.weight = target.weight ?? 1;
      next.push(state);
    }
    this.byId.clear();
    for (const state of next) this.byId.set(state.nodeId, state);
    this.states = next;
    for (const [state, timer] of this.ejections) {
      if (this.byId.get(state.nodeId) !== state) {
        clearTimeout(timer);
        this.ejections.delete(state);
      }
    }
    this.dirty = true;
    for (const state of next) this.route(state);
  }

  all(): readonly TargetState[] {
    return this.states;
  }

  get(nodeId: string): TargetState | undefined {
    return this.byId.get(nodeId);
  }

  setWeight(nodeId: string, weight: number): void {
    const state = this.byId.get(nodeId);
    if (state === undefined) return;
    state.weight = weight;
    state.target = { ...state.target, weight };
    this.dirty = true;
  }

  /** Whether a target may get traffic now. */
  isEligible(state: TargetState, now = Date.now()): boolean {
    return state.weight > 0 && state.healthy && state.blocked === undefined && state.ejectedUntil <= now;
  }

  /**
   * When routing is why nothing can be picked (every target in rotation is blocked), the
   * first blocked target, so the service can answer with the blocker instead of a bare 503.
   */
  blockedByRouting(): TargetState | undefined {
    const inRotation = this.states.filter((s) => s.weight > 0);
    if (inRotation.length === 0 || inRotation.some((s) => s.blocked === undefined)) return undefined;
    return inRotation[0];
  }

  /** Picks a target for a request; `keyHash` is the client key (source hash). `exclude` skips one (retries). */
  pick(keyHash: number, exclude?: TargetState): TargetState | undefined {
    const now = Date.now();
    if (this.dirty || now >= this.nextExpiry) this.rebuild(now);
    let candidates = this.eligible;
    if (exclude !== undefined && candidates.includes(exclude)) candidates = candidates.filter((c) => c !== exclude);
    const chosen = pick(this.algorithm, candidates, this.state, keyHash, this.random);
    if (chosen !== undefined) chosen.chosen += 1;
    return chosen;
  }

  /** Marks the active health verdict; returns true when it changed. */
  setHealthy(nodeId: string, healthy: boolean, reason: string): boolean {
    const state = this.byId.get(nodeId);
    if (state === undefined || state.healthy === healthy) return false;
    state.healthy = healthy;
    state.reason = healthy ? undefined : reason;
    if (healthy) {
      state.consecutiveFailures = 0;
      state.ejectedUntil = 0;
      this.cancelEjection(state);
    }
    this.dirty = true;
    // While routing blocks the target, the routing verdict is what the lab shows; checks
    // (which reach it on loopback) only matter again once the design routes to it.
    if (state.blocked === undefined) this.emit({ type: 'health', nodeId: this.nodeId, target: nodeId, healthy, source: 'active', reason });
    return true;
  }

  /** Every target counts as healthy again (active checks turned off). */
  markAllHealthy(): void {
    for (const state of this.states) this.setHealthy(state.nodeId, true, 'health checks turned off');
  }

  /** A request to `state` completed (any status from the upstream counts as reachable). */
  reportSuccess(state: TargetState): void {
    if (state.consecutiveFailures !== 0) state.consecutiveFailures = 0;
  }

  /** A request to `state` failed at the transport level; ejects after consecutive failures within the share cap. */
  reportFailure(state: TargetState, reason: string): void {
    state.failures += 1;
    state.consecutiveFailures += 1;
    if (state.consecutiveFailures < this.passive.consecutiveFailures) return;
    const now = Date.now();
    if (state.ejectedUntil > now) return;
    const ejected = this.states.filter((s) => s.ejectedUntil > now).length;
    if (ejected + 1 > Math.floor(this.passive.maxEjectedShare * this.states.length)) return;
    state.ejectedUntil = now + this.passive.ejectMs;
    // One more failure after the ejection ends sends it straight back out.
    state.consecutiveFailures = this.passive.consecutiveFailures - 1;
    state.reason = `ejected after ${this.passive.consecutiveFailures} consecutive failures: ${reason}`;
    this.dirty = true;
    this.cancelEjection(state);
    const timer = setTimeout(() => this.endEjection(state), this.passive.ejectMs);
    timer.unref();
    this.ejections.set(state, timer);
    this.emit({ type: 'health', nodeId: this.nodeId, target: state.nodeId, healthy: false, source: 'passive', reason: state.reason });
  }

  /**
   * An ejection ran out: the target is back in rotation, and says so (the lab shows the
   * node healthy again), unless active checks hold it out meanwhile.
   */
  private endEjection(state: TargetState): void {
    this.ejections.delete(state);
    if (this.byId.get(state.nodeId) !== state) return;
    state.ejectedUntil = 0;
    this.dirty = true;
    if (!state.healthy) return;
    state.reason = undefined;
    this.emit({ type: 'health', nodeId: this.nodeId, target: state.nodeId, healthy: true, source: 'passive', reason: `back in rotation after a ${this.passive.ejectMs} ms ejection` });
  }

  private cancelEjection(state: TargetState): void {
    const timer = this.ejections.get(state);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.ejections.delete(state);
  }

  /** Stops the ejection timers (the service stopped); ejected targets count as back in rotation. */
  dispose(): void {
    for (const [state, timer] of this.ejections) {
      clearTimeout(timer);
      state.ejectedUntil = 0;
    }
    this.ejections.clear();
    this.dirty = true;
  }

  /** Metrics per target. */
  metrics(): Record<string, UpstreamMetrics> {
    const now = Date.now();
    const out: Record<string, UpstreamMetrics> = {};
    for (const s of this.states) {
      const healthy = s.healthy && s.blocked === undefined && s.ejectedUntil <= now;
      const reason = s.blocked !== undefined ? blockedReason(s.blocked) : s.reason;
      out[s.nodeId] = {
        healthy,
        ...(healthy || reason === undefined ? {} : { reason }),
        chosen: s.chosen,
        active: s.active,
        failures: s.failures,
      };
    }
    return out;
  }

  /**
   * Asks the gate again about one target (a health probe is a connection too, so it asks
   * before each one): whether the design lets the balancer reach it now. A changed verdict
   * is reported as `route` reports it.
   */
  reachable(nodeId: string): GateBlock | undefined {
    const state = this.byId.get(nodeId);
    if (state === undefined) return undefined;
    this.route(state);
    return state.blocked;
  }

  /** Asks the gate about one target; emits a health event when the routing verdict changes. */
  private route(state: TargetState): void {
    const verdict = this.gate(this.nodeId, state.nodeId);
    const blocked = verdict.allowed ? undefined : { blockedBy: verdict.blockedBy, reason: verdict.reason, code: verdict.code };
    const was = state.blocked;
    if (was?.blockedBy === blocked?.blockedBy && was?.reason === blocked?.reason) return;
    state.blocked = blocked;
    this.dirty = true;
    if (blocked !== undefined) {
      this.emit({ type: 'health', nodeId: this.nodeId, target: state.nodeId, healthy: false, source: 'routing', reason: blockedReason(blocked) });
    } else {
      const reason = state.healthy ? 'the design routes to it again' : (state.reason ?? 'waiting for its health checks');
      this.emit({ type: 'health', nodeId: this.nodeId, target: state.nodeId, healthy: state.healthy, source: 'routing', reason });
    }
  }

  private rebuild(now: number): void {
    this.eligible = this.states.filter((s) => this.isEligible(s, now));
    let expiry = Infinity;
    for (const s of this.states) if (s.ejectedUntil > now && s.ejectedUntil < expiry) expiry = s.ejectedUntil;
    this.nextExpiry = expiry;
    this.dirty = false;
  }
}

function blockedReason(blocked: GateBlock): string {
  return `blocked by ${blocked.blockedBy}: ${blocked.reason}`;
}
