import { describe, expect, it } from 'vitest';
import { LabController } from '../../../renderer/lab/controller.js';
import { example } from '../../support/examples.js';
import { servicesClosedAfterEach } from '../lab/helpers.js';
import { kernelLabOrSkip } from './helpers.js';

const supported = await kernelLabOrSkip('canvas kernel lab test');
const service = servicesClosedAfterEach();

describe.skipIf(!supported)("the canvas's lab controller and the kernel lab", () => {
  it('is offered the kernel lab where it can run, launches in network namespaces, sends traffic from a client, and stops', { timeout: 120_000 }, async () => {
    const controller = new LabController(service());
    const doc = example('nginx-two-backends');
    const detach = controller.attach(() => doc);
    expect(await controller.kernelLabAvailable()).toBe(true);
    expect(await controller.launch(doc, { mode: 'netns' })).toEqual({ outcome: 'started' });
    expect(controller.state.phase).toBe('running');
    expect(controller.state.endpoints.find((e) => e.id === 'nginx')?.publicAddress).toMatch(/^198\.1[89]\./);
    const result = await controller.runTraffic({ from: 'browser', to: 'nginx', requests: 40, concurrency: 4 });
    expect(result?.byServer).toEqual({ 'backend-1': 20, 'backend-2': 20 });
    await controller.stop();
    expect(controller.state.phase).toBe('stopped');
    detach();
  });
});
