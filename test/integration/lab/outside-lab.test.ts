import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../core/runtime/lab/lab.js';
import { sendOne } from '../../../core/runtime/load/single.js';
import { example } from '../../support/examples.js';
import { realLab } from './helpers.js';

/**
 * The forward-proxy example allows `*.npmjs.org`, `github.com` and `10.3.0.0/16`: the lab
 * answers those destinations itself (or refuses them) and never connects outside the
 * design, nor to a bystander on this machine.
 */
let lab: Lab;
let bystander: net.Server;
let bystanderPort: number;
let connections = 0;

beforeAll(async () => {
  bystander = net.createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => bystander.listen(0, '127.0.0.1', () => resolve()));
  bystanderPort = (bystander.address() as net.AddressInfo).port;
  lab = realLab(example('forward-proxy'));
  await lab.start();
});
afterAll(async () => {
  await lab.stop();
  await new Promise<void>((resolve) => bystander.close(() => resolve()));
});

const ask = (target: string): ReturnType<Lab['request']> => lab.request({ from: 'ci-runner', to: 'egress-proxy', via: 'egress-proxy', target });

describe('the forward-proxy example never sends traffic outside the lab', () => {
  it('answers an allowed destination outside the design with the internet stand-in, which names it', async () => {
    const reply = await ask('http://registry.npmjs.org/left-pad');
    expect(reply.status).toBe(200);
    expect(reply.servedBy).toEqual(['internet']);
    expect(reply.headers['x-topolab-internet']).toBe('registry.npmjs.org:80');
    expect(JSON.parse(reply.body)).toMatchObject({ node: 'internet', destination: 'registry.npmjs.org:80', path: '/left-pad' });
  });

  it('refuses what the design does not have: denied names, loopback, private addresses no node has, closed ports', async () => {
    expect((await ask('http://evil.example.net/steal')).status).toBe(403);
    expect((await ask(`http://127.0.0.1:${bystanderPort}/`)).status).toBe(403);
    const unreachable = await ask('http://10.3.9.9/');
    expect(unreachable.status).toBe(502);
    expect(unreachable.body).toContain('no node of the design has 10.3.9.9');
    const closed = await ask(`http://10.3.1.6:${bystanderPort}/`);
    expect(closed.status).toBe(502);
    expect(closed.body).toContain('connection refused');
    // The artifacts server on its designed port is the one place that is reached.
    expect((await ask('http://10.3.1.6:8081/')).servedBy[0]).toBe('artifacts');
    expect(connections).toBe(0);
  });

  it("the lab's own traffic tools send only to lab endpoints", async () => {
    const reply = await sendOne({ url: `http://localhost:${bystanderPort}` });
    expect(reply.status).toBe(0);
    expect(reply.error).toMatch(/not a lab endpoint/);
    expect(connections).toBe(0);
  });
});
