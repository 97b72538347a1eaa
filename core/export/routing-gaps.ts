import { trace } from '../routing/trace.js';
import { commentText } from './escape.js';
import type { DesignView } from './design.js';
import type { ReportBuilder } from './report.js';

/**
 * Reports every flow from a proxy node to one of its targets that the design's routing
 * blocks. The lab refuses such a request (502 `blocked-by-routing`); an nginx or HAProxy
 * config has no route tables and would forward it, so the export says so instead of
 * differing silently. Route tables are what the Terraform export carries.
 */
export function reportRoutingGaps(view: DesignView, fromId: string, targetIds: readonly string[], target: 'nginx' | 'HAProxy', report: ReportBuilder): void {
  for (const toId of new Set(targetIds)) {
    let reason: string | undefined;
    try {
      const result = trace(view.topology, { from: fromId, to: toId });
      if (result.verdict === 'reachable') continue;
      reason = result.blockedBy?.reason ?? 'the design does not route this flow';
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
    report.notExpressible(
      fromId,
      'routing',
      `the design's routing blocks ${fromId} -> ${toId} (${commentText(reason)}); the lab answers 502 blocked-by-routing, ${target} has no route tables and forwards it: fix the routes, or rely on the network (the Terraform export) to enforce them`,
      `see the blocking hop with \`topolab trace FILE --from ${fromId} --to ${toId}\`, fix that route table, or deploy where the network enforces the routes (the Terraform export carries them)`,
    );
  }
}
