/** The lab orchestration: plan a design, run it, inject faults, scale groups, report events. */
export * from './plan-types.js';
export { planLab, planLabOrThrow, LabPlanError } from './plan.js';
export * from './events.js';
export { formatAddress } from './address.js';
export { Lab, LabError, type CreateService, type LabFault, type LabLoadOptions, type LabOptions, type LabRequestOptions, type ServiceSpec, type ServiceWiring } from './lab.js';
export { RoutingGate, type TraceTarget } from './gate.js';
export { withoutRoutes, routesToDrop, routesAfterRestore, RouteFaultError, type DroppedRoute } from './routes.js';
export { capacityFor, scalingDecision, type ScalingDecision, type ScalingPolicy, type ScalingState } from './scaling.js';
export { waitUntilHealthy } from './readiness.js';
export { createRealService } from './services.js';
