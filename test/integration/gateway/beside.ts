import type { Lab } from '../../../core/runtime/lab/lab.js';
import { loopbackMap, startBackend, tempDir, type Backend } from '../export/tools.js';
import { realLab } from '../lab/helpers.js';
import { gatewayDesign, gatewayFolder, type GatewayFolder } from './fixture.js';

/** The gateway design running in the lab, its upstreams as test backends, and a run folder for the real tool's export. */
export interface GatewayBeside {
  design: ReturnType<typeof gatewayDesign>;
  lab: Lab;
  labPort: number;
  /** The loopback port the exported tool listens on for the gateway (10.0.1.20:80). */
  toolPort: number;
  /** Designed address -> loopback address, for the exporter. */
  addressMap: Record<string, string>;
  runDir: string;
  /** Stops the lab and the backends and removes the folders. */
  stop(): Promise<void>;
}

/** Starts what the nginx and HAProxy side-by-side tests share: the lab, two upstream backends, the address map and a run folder. */
export async function gatewayBeside(tempPrefix: string): Promise<GatewayBeside> {
  const design = gatewayDesign();
  const keys: GatewayFolder = await gatewayFolder();
  const lab = realLab(design, { designFolder: keys.folder });
  const backends: Backend[] = [];
  const temp = await tempDir(tempPrefix);
  const stop = async (): Promise<void> => {
    await lab.stop();
    await Promise.all(backends.map((b) => b.stop()));
    await temp.cleanup();
    keys.cleanup();
  };
  try {
    await lab.start();
    const labPort = Number(new URL(lab.endpoints().find((e) => e.id === 'gw')?.url ?? '').port);
    const fixed: Record<string, string> = {};
    for (const [id, ip] of [['users', '10.0.2.10'], ['orders', '10.0.2.11']] as const) {
      const backend = await startBackend(id);
      backends.push(backend);
      fixed[`${ip}:8080`] = `127.0.0.1:${backend.port}`;
    }
    const addressMap = await loopbackMap(design, fixed);
    const toolPort = Number(addressMap['10.0.1.20:80']?.split(':')[1]);
    return { design, lab, labPort, toolPort, addressMap, runDir: temp.dir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
