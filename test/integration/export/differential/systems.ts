// The three systems the differential test compares, in front of the same lab backends:
// the built-in lab itself, and the nginx and HAProxy exports run as-is in loopback mode.
import { createService, type TopolabService } from '../../../../core/api/service.js';
import type { LabEndpoint } from '../../../../core/api/contract/lab-results.js';
import { parseAddressMap } from '../../../../core/export/address-map.js';
import { renderHaproxy } from '../../../../core/export/haproxy/index.js';
import { renderNginx } from '../../../../core/export/nginx/index.js';
import type { ExportOptions } from '../../../../core/export/options.js';
import type { ExportReport } from '../../../../core/export/report.js';
import { canConnect, expectOwnListener, freePort, PortTakenError, startTool, tempDir, type Running } from '../tools.js';
import { backendOf, type DesignFacts } from './design-facts.js';
import type { Target } from './send.js';

/** A system under test. */
export type SystemName = 'lab' | 'nginx' | 'haproxy';

/** A running system: where its entries listen, and how to stop it. */
export interface RunningSystem {
  name: SystemName;
  target: Target;
  /** The export's report (nginx and HAProxy). */
  report?: ExportReport;
  /** The generated configuration, for failure messages. */
  config?: string;
  stop(): Promise<void>;
}

/** The running lab: its service (for faults) and endpoint table. */
export interface LiveLab {
  service: TopolabService;
  endpoints: LabEndpoint[];
  system: RunningSystem;
}

function isBackendOf(facts: DesignFacts): (servedBy: string) => boolean {
  return (servedBy) => {
    const kind = facts.view.index.node(backendOf(servedBy))?.kind;
    return kind === 'server' || kind === 'autoscaling-group';
  };
}

/** Starts the design's lab. */
export async function startLab(facts: DesignFacts): Promise<LiveLab> {
  const service = createService();
  const { endpoints } = await service.call('lab.start', { topology: facts.topology });
  const ports = new Map(endpoints.map((e) => [e.id, Number(new URL(e.url).port)]));
  const system: RunningSystem = {
    name: 'lab',
    target: { port: (entry) => ports.get(entry) ?? 0, isBackend: isBackendOf(facts) },
    stop: () => service.close(),
  };
  return { service, endpoints, system };
}

/**
 * Runs one export in front of the lab's backends: every node the export writes listens on
 * a port of its own (given to the export), everything else is the lab's endpoint.
 */
export async function startExport(tool: 'nginx' | 'haproxy', facts: DesignFacts, lab: LiveLab): Promise<RunningSystem> {
  // A port freePort found free can be taken by another process on a shared machine before
  // the tool binds it: that says nothing about the export, so start again on new ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startExportOnce(tool, facts, lab);
    } catch (error) {
      if (!(error instanceof Error && error.cause instanceof PortTakenError) || attempt === 3) throw error;
      console.log(`${tool}: ${error.cause.message.split('\n')[0]}; starting again on new ports`);
    }
  }
}

async function startExportOnce(tool: 'nginx' | 'haproxy', facts: DesignFacts, lab: LiveLab): Promise<RunningSystem> {
  const parsed = parseAddressMap({ endpoints: lab.endpoints });
  if (!parsed.ok) throw new Error(parsed.message);
  // Loopback mode: every node the export writes gets a free port of its own, the rest is the lab's endpoint table.
  const ports = new Map<string, number>();
  for (const node of facts.topology.nodes) {
    if ((node.kind === 'load-balancer' || node.kind === 'reverse-proxy' || node.kind === 'cache') && facts.view.addresses.get(node.id)) ports.set(node.id, await freePort());
  }
  const temp = await tempDir(`topolab-diff-${tool}-`);
  const options: ExportOptions = { addressMap: parsed.map, runDir: temp.dir, listen: { mode: 'loopback', ports: Object.fromEntries(ports) } };
  const result = tool === 'nginx' ? renderNginx(facts.topology, options) : renderHaproxy(facts.topology, options);
  const config = result.files[0]?.content ?? '';
  // Loopback mode must never leave a designed address in the config.
  const unmapped = result.report.notExpressible.filter((e) => e.feature === 'loopback-endpoint');
  if (unmapped.length > 0) {
    await temp.cleanup();
    throw new Error(`the ${tool} export has upstreams without a loopback endpoint: ${JSON.stringify(unmapped)}`);
  }
  const entryPorts = facts.entries.map((e) => ports.get(e.id) ?? 0);
  let running: Running | undefined;
  try {
    running = await startTool(tool, temp.dir, config, entryPorts[0] ?? 0);
    const deadline = Date.now() + 10_000;
    for (const port of entryPorts) {
      while (!(await canConnect(port))) {
        if (Date.now() > deadline) throw new Error(`${tool} does not listen on ${port}:\n${running.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await expectOwnListener(running, tool, port);
    }
  } catch (error) {
    await running?.stop();
    await temp.cleanup();
    throw new Error(`${tool} did not start with the export:\n${(error as Error).message}\n--- config ---\n${config}`, { cause: error });
  }
  return {
    name: tool,
    target: { port: (entry) => ports.get(entry) ?? 0, isBackend: isBackendOf(facts) },
    report: result.report,
    config,
    stop: async () => {
      await running?.stop();
      await temp.cleanup();
    },
  };
}
