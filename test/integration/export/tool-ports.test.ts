// The shared machine: a port found free can be taken by another process before nginx or
// HAProxy binds it. startTool must then say so (PortTakenError), never let a test talk to
// the other process's server as if it were the tool.
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { listenerOwnedBy, PortTakenError, startTool, tempDir } from './tools.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function holdPort(): Promise<number> {
  const server = createServer((socket) => {
    // The connect checks hang up at once: a reset is expected, not an error of the test.
    socket.on('error', () => undefined);
    socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(async () => {
    server.close();
    await once(server, 'close');
  });
  return (server.address() as AddressInfo).port;
}

describe('startTool on a port another process holds', () => {
  it('listenerOwnedBy tells our own listening socket from another process\'s', async () => {
    const port = await holdPort();
    expect(await listenerOwnedBy(process.pid, port)).toBe(true);
    expect(await listenerOwnedBy(1, port)).toBe(false);
  });

  it.each(['nginx', 'haproxy'] as const)('%s: PortTakenError, and the tool is stopped', async (tool) => {
    const port = await holdPort();
    const temp = await tempDir(`topolab-port-${tool}-`);
    cleanups.push(temp.cleanup);
    const config =
      tool === 'nginx'
        ? `pid ${temp.dir}/nginx.pid;\nerror_log stderr;\nevents {}\nhttp {\n  access_log off;\n  client_body_temp_path ${temp.dir}/body;\n  proxy_temp_path ${temp.dir}/proxy;\n  fastcgi_temp_path ${temp.dir}/fastcgi;\n  uwsgi_temp_path ${temp.dir}/uwsgi;\n  scgi_temp_path ${temp.dir}/scgi;\n  server { listen 127.0.0.1:${port}; return 204; }\n}\n`
        : `defaults\n  mode http\n  timeout connect 1s\n  timeout client 1s\n  timeout server 1s\nfrontend f\n  bind 127.0.0.1:${port}\n  http-request return status 204\n`;
    const error = await startTool(tool, temp.dir, config, port).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PortTakenError);
    expect((error as PortTakenError).port).toBe(port);
  });
});
