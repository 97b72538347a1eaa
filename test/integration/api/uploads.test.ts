// `topolab serve` bounds the memory of concurrent uploads: large bodies are read one
// budget's worth at a time (the rest wait unread), too many waiters get 503, and every
// save that gets its turn lands intact. Real sockets on 127.0.0.1, port 0.
import { readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type TopolabService } from '../../../core/api/service.js';
import { startHttpServer, type RunningHttpServer } from '../../../core/api/transports/http.js';
import { waitUntil } from '../../support/wait.js';
import { removeFolder, tempFolder } from './harness.js';

const MiB = 1024 * 1024;
let base: string;
let service: TopolabService;
let server: RunningHttpServer;

beforeAll(async () => {
  base = await tempFolder('topolab-uploads-');
  service = createService({ filesRoot: base });
  // One 3 MiB body at a time: two do not fit in the 4 MiB budget.
  server = await startHttpServer({ service, rendererRoot: join(base, 'no-app'), port: 0, maxBodyBytes: 4 * MiB, bodyBudgetBytes: 4 * MiB });
});
afterAll(async () => {
  await server.close();
  await service.close();
  await removeFolder(base);
});

/** A files.write request of exactly `size` bytes for `name`, split into head and body. */
function saveRequest(name: string, size: number): { head: string; body: Buffer } {
  const prefix = `{"name":"${name}","text":"`;
  const body = Buffer.from(`${prefix}${'x'.repeat(size - prefix.length - 2)}"}`);
  const head = `POST /api/call/files.write HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
  return { head, body };
}

/** Opens a socket, sends `head` and `body`; `answer` resolves with the status line's code. */
function open(head: string, body: Buffer): { socket: Socket; answer: Promise<{ status: number; text: string }> } {
  const socket = connect(server.port, '127.0.0.1');
  let text = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => (text += chunk));
  socket.on('error', () => undefined);
  socket.write(head);
  if (body.length > 0) socket.write(body);
  const answer = new Promise<{ status: number; text: string }>((resolve) => socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text })));
  return { socket, answer };
}

describe('concurrent large saves', () => {
  it('wait their turn unread, beyond 16 waiting get 503 Retry-After, and every accepted save lands intact', async () => {
    const holder = saveRequest('holder.topolab.json', 3 * MiB);
    // The holder sends half its body and stalls: it keeps the whole budget meanwhile.
    const first = open(holder.head, holder.body.subarray(0, 1.5 * MiB));
    await waitUntil(() => first.socket.bytesWritten > 1.5 * MiB, 'the holder sent half its body');
    const waiters = Array.from({ length: 17 }, (_, i) => {
      const save = saveRequest(`w${i}.topolab.json`, 3 * MiB);
      return open(save.head, save.body);
    });
    const settled = waiters.map(() => false);
    waiters.forEach((w, i) => void w.answer.then(() => (settled[i] = true)));
    await waitUntil(() => settled.some(Boolean), 'one waiter too many is refused', 10_000);
    const refused = (await Promise.all(waiters.filter((_, i) => settled[i]).map((w) => w.answer)));
    expect(refused.map((r) => r.status)).toEqual([503]);
    expect(refused[0]?.text).toMatch(/retry-after: 1/i);
    // None of the others was answered while the holder held the budget.
    expect(settled.filter(Boolean)).toHaveLength(1);
    first.socket.write(holder.body.subarray(1.5 * MiB));
    expect((await first.answer).status).toBe(200);
    const rest = await Promise.all(waiters.map((w) => w.answer));
    expect(rest.map((r) => r.status).sort()).toEqual([...Array(16).fill(200), 503]);
    const saved = await readFile(join(base, 'w0.topolab.json'), 'utf8');
    expect(saved.length).toBe(3 * MiB - '{"name":"w0.topolab.json","text":"'.length - 2);
  });

  it('a small call is never held back by a large one in progress', async () => {
    const holder = saveRequest('slow.topolab.json', 3 * MiB);
    const first = open(holder.head, holder.body.subarray(0, MiB));
    await waitUntil(() => first.socket.bytesWritten > MiB, 'the large save started');
    const small = open(`POST /api/call/cidr.info HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\nContent-Length: 22\r\nConnection: close\r\n\r\n`, Buffer.from('{"cidr":"10.0.0.0/8"}\n'));
    expect((await small.answer).status).toBe(200);
    first.socket.write(holder.body.subarray(MiB));
    expect((await first.answer).status).toBe(200);
  });
});
