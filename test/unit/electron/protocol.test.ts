import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createService, type TopolabService } from '../../../core/api/index.js';
import type { ServerEventFrame } from '../../../core/api/transports/frames.js';
import { LabPortClient, serveOverPort } from '../../../electron/lab/protocol.js';
import { portPair } from './helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function connect(service: TopolabService, onClosed = () => {}) {
  const pair = portPair();
  cleanups.push(pair.close);
  const frames: ServerEventFrame[] = [];
  serveOverPort(service, pair.b, onClosed);
  const client = new LabPortClient(pair.a, (frame) => frames.push(frame));
  return { client, frames };
}

async function tempFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'topolab-lab-port-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Waits until a frame matching `predicate` arrived (the port delivers asynchronously). */
async function waitForFrame(frames: ServerEventFrame[], predicate: (frame: ServerEventFrame) => boolean): Promise<ServerEventFrame> {
  for (let i = 0; i < 200; i++) {
    const found = frames.find(predicate);
    if (found) return found;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`no matching frame; got ${JSON.stringify(frames)}`);
}

describe('the lab port protocol (core service in the lab process)', () => {
  it('answers calls with the IPC transport replies, including the schema error of a bad input', async () => {
    const { client } = connect(createService());
    expect(await client.call('cidr.info', { cidr: '10.0.0.0/24' })).toMatchObject({ result: { ok: true } });
    const bad = await client.call('cidr.info', { cidr: 42 });
    expect(bad).toMatchObject({ error: { code: 'bad-input', issues: [{ path: 'cidr' }] } });
    expect(await client.call('no.such.method', {})).toMatchObject({ error: { code: 'unknown-method' } });
  });

  it('matches concurrent answers to their calls', async () => {
    const { client } = connect(createService());
    const cidrs = ['10.0.0.0/8', '192.168.1.0/24', '172.16.0.0/12'];
    const replies = await Promise.all(cidrs.map((cidr) => client.call('cidr.info', { cidr })));
    replies.forEach((reply, i) => expect(JSON.stringify(reply)).toContain(cidrs[i]?.split('/')[0]));
  });

  it('subscribes through the transport SubscriptionSet and forwards events until unsubscribed', async () => {
    const dir = await tempFolder();
    const { client, frames } = connect(createService({ filesRoot: dir }));
    client.frame({ subscribe: 'files.changed' });
    await waitForFrame(frames, (frame) => 'subscribed' in frame);
    expect(await client.call('files.write', { name: 'a.topolab.json', text: '{}' })).toMatchObject({ result: { name: 'a.topolab.json' } });
    await waitForFrame(frames, (frame) => 'event' in frame && frame.event === 'files.changed');
    client.frame({ unsubscribe: 'files.changed' });
    await waitForFrame(frames, (frame) => 'unsubscribed' in frame);
    await client.call('files.write', { name: 'b.topolab.json', text: '{}' });
    expect(frames.filter((frame) => 'event' in frame)).toHaveLength(1);
  });

  it('answers a malformed frame or an unknown event with an error frame', async () => {
    const { client, frames } = connect(createService());
    client.frame({ subscribe: 'no.such.event' });
    client.frame({ subscribe: 1, extra: true });
    await waitForFrame(frames, (frame) => 'error' in frame && frame.error.message.includes('no.such.event'));
    await waitForFrame(frames, (frame) => 'error' in frame && frame.error.code === 'bad-input' && !frame.error.message.includes('no.such.event'));
  });

  it('closes the service on request, confirms, and answers later calls with an error', async () => {
    const service = createService();
    let onClosed = 0;
    const { client } = connect(service, () => onClosed++);
    await client.close();
    expect(onClosed).toBe(1);
    // The service itself is closed: a direct call is refused too.
    await expect(service.callUnchecked('cidr.info', { cidr: '10.0.0.0/8' })).rejects.toThrow(/closed/);
    expect(await client.call('cidr.info', { cidr: '10.0.0.0/8' })).toMatchObject({ error: { code: 'failed' } });
  });

  it('answers pending calls with an error when the process ends', async () => {
    const pair = portPair();
    cleanups.push(pair.close);
    const client = new LabPortClient(pair.a, () => {});
    const pending = client.call('never-answered', null);
    client.end('the lab process exited (code 9)');
    expect(await pending).toEqual({ error: { code: 'failed', message: 'the lab process exited (code 9)' } });
  });
});
