// Runs the corpus of one design through the lab, then through each export in front of the
// same lab backends, with the backend stop between the two phases of every run.
import { buildCorpus } from './corpus.js';
import { compare, type Comparison } from './compare.js';
import type { DesignFacts } from './design-facts.js';
import type { Outcome, Probe } from './probes.js';
import { runPhase } from './send.js';
import { startExport, startLab, type LiveLab, type RunningSystem, type SystemName } from './systems.js';
import type { ExportReport } from '../../../../core/export/report.js';

/** Lanes run side by side per system (2 cores shared with other jobs: keep it modest). */
const PARALLEL_LANES = 6;

/** Everything one design's run produced. */
export interface DesignRun {
  probes: Probe[];
  outcomes: Record<SystemName, Map<string, Outcome>>;
  comparisons: Record<'nginx' | 'haproxy', Comparison>;
  reports: Record<'nginx' | 'haproxy', ExportReport>;
  configs: Record<'nginx' | 'haproxy', string>;
}

async function runSystem(system: RunningSystem, probes: readonly Probe[], lab: LiveLab, stopNode: string | undefined): Promise<Map<string, Outcome>> {
  // Groups first and alone: a balancer's rotation is global, so other requests interleaved
  // with a distribution group would change which of its requests each backend gets.
  const outcomes = await runPhase(probes.filter((p) => p.phase === 0 && p.group !== undefined), system.target, PARALLEL_LANES);
  for (const [id, outcome] of await runPhase(probes.filter((p) => p.phase === 0 && p.group === undefined), system.target, PARALLEL_LANES)) outcomes.set(id, outcome);
  if (stopNode !== undefined) await lab.service.call('lab.inject', { nodeId: stopNode, action: 'stop' });
  try {
    for (const [id, outcome] of await runPhase(probes.filter((p) => p.phase === 1), system.target, PARALLEL_LANES)) outcomes.set(id, outcome);
  } finally {
    if (stopNode !== undefined) await lab.service.call('lab.inject', { nodeId: stopNode, action: 'start' });
  }
  return outcomes;
}

/** Runs the design through the three systems, one after another; every process is stopped before it returns. */
export async function runDesign(facts: DesignFacts): Promise<DesignRun> {
  const probes = buildCorpus(facts);
  const lab = await startLab(facts);
  try {
    const labOutcomes = await runSystem(lab.system, probes, lab, facts.stopNode);
    const results = {} as Record<'nginx' | 'haproxy', { outcomes: Map<string, Outcome>; report: ExportReport; config: string }>;
    for (const tool of ['nginx', 'haproxy'] as const) {
      const system = await startExport(tool, facts, lab);
      try {
        results[tool] = { outcomes: await runSystem(system, probes, lab, facts.stopNode), report: system.report as ExportReport, config: system.config ?? '' };
      } finally {
        await system.stop();
      }
    }
    return {
      probes,
      outcomes: { lab: labOutcomes, nginx: results.nginx.outcomes, haproxy: results.haproxy.outcomes },
      comparisons: {
        nginx: compare(facts, probes, labOutcomes, results.nginx.outcomes),
        haproxy: compare(facts, probes, labOutcomes, results.haproxy.outcomes),
      },
      reports: { nginx: results.nginx.report, haproxy: results.haproxy.report },
      configs: { nginx: results.nginx.config, haproxy: results.haproxy.config },
    };
  } finally {
    await lab.system.stop();
  }
}
