// Sends the corpus to one system: lanes side by side (bounded), probes of a lane in order,
// each on a fresh connection (a cache lane: one kept-alive connection), every wait bounded.
import { Agent, request } from 'node:http';
import { createConnection } from 'node:net';
import type { HttpSpec, Outcome, Probe, RawSpec } from './probes.js';

/** How long one probe may take before it counts as "no answer". */
const PROBE_TIMEOUT_MS = 8_000;

/** What a sender needs about a system: where each entry listens, and which ids are backends. */
export interface Target {
  port(entry: string): number;
  isBackend(servedBy: string): boolean;
}

/** Runs the probes of one phase: lanes in parallel (at most `parallel`), each lane in order. */
export async function runPhase(probes: readonly Probe[], target: Target, parallel: number): Promise<Map<string, Outcome>> {
  const lanes = new Map<string, Probe[]>();
  for (const probe of probes) {
    const lane = lanes.get(probe.lane);
    if (lane) lane.push(probe);
    else lanes.set(probe.lane, [probe]);
  }
  const out = new Map<string, Outcome>();
  const queue = [...lanes.values()];
  const worker = async (): Promise<void> => {
    for (let lane = queue.shift(); lane !== undefined; lane = queue.shift()) {
      const jar = new Map<string, string>();
      // A cache lane asks "is the answer stored now?": its next request must start after the
      // system finished the previous one. On a new connection it can reach another nginx worker
      // in the microseconds between the client's last byte and the entry's commit, and nginx
      // checks the entry and takes the cache lock separately: that request goes to the origin
      // (docs/export.md, "Cache"). One kept-alive connection orders the lane's requests in the
      // system itself.
      const agent = lane.some((p) => p.check === 'cache') ? new Agent({ keepAlive: true, maxSockets: 1 }) : undefined;
      try {
        for (const probe of lane) out.set(probe.id, await send(probe, target, jar, agent));
      } finally {
        agent?.destroy();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker));
  return out;
}

async function send(probe: Probe, target: Target, jar: Map<string, string>, agent: Agent | undefined): Promise<Outcome> {
  const port = target.port(probe.entry);
  const outcome = probe.spec.type === 'raw' ? await sendRaw(port, probe.spec) : await sendHttp(port, probe.spec, probe.cookies ? jar : undefined, agent);
  if (outcome.servedBy !== undefined && !target.isBackend(outcome.servedBy)) delete outcome.servedBy;
  return outcome;
}

function sendHttp(port: number, spec: HttpSpec, jar: Map<string, string> | undefined, agent: Agent | undefined): Promise<Outcome> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { ...(agent ? {} : { connection: 'close' }), ...spec.headers };
    if (spec.host !== undefined) headers['host'] = spec.host;
    if (spec.body !== undefined) headers['content-length'] = String(Buffer.byteLength(spec.body));
    if (jar && jar.size > 0) headers['cookie'] = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const req = request(
      { host: '127.0.0.1', port, method: spec.method, path: spec.path, agent: agent ?? false, headers, ...(spec.from ? { localAddress: spec.from } : {}) },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('error', (err) => resolve({ status: res.statusCode ?? 0, error: err.message }));
        res.on('end', () => {
          const setCookie = res.headers['set-cookie'];
          if (jar && setCookie) {
            for (const line of setCookie) {
              const pair = line.split(';')[0] ?? '';
              const eq = pair.indexOf('=');
              if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
            }
          }
          resolve(outcomeOf(res.statusCode ?? 0, res.headers['x-served-by'], res.headers['x-cache'], body, setCookie, res.headers['x-topolab-blocked-by']));
        });
      },
    );
    req.setTimeout(PROBE_TIMEOUT_MS, () => req.destroy(new Error('timed out')));
    req.on('error', (err) => resolve({ status: 0, error: err.message }));
    req.end(spec.body);
  });
}

function outcomeOf(status: number, servedBy: unknown, cache: unknown, body: string, setCookie?: string[], blockedBy?: unknown): Outcome {
  const out: Outcome = { status };
  if (typeof blockedBy === 'string') out.blockedBy = blockedBy;
  if (typeof servedBy === 'string') out.servedBy = servedBy;
  if (typeof cache === 'string') out.cache = cache;
  if (setCookie) out.setCookie = setCookie;
  try {
    const parsed = JSON.parse(body) as { path?: unknown; headers?: Record<string, unknown> };
    if (typeof parsed.path === 'string') out.upstreamPath = parsed.path;
    const seen = parsed.headers ?? {};
    out.echoed = {
      ...(typeof seen['host'] === 'string' ? { host: seen['host'] } : {}),
      ...(typeof seen['authorization'] === 'string' ? { authorization: seen['authorization'] } : {}),
    };
  } catch {
    // Not a backend's echo (an error page, static content).
  }
  return out;
}

/** Writes the bytes, reads until the peer closes (or the timeout), parses the first response's head. */
function sendRaw(port: number, spec: RawSpec): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const head = text.slice(0, Math.max(0, text.indexOf('\r\n\r\n')));
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1];
      const header = (name: string): string | undefined => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head)?.[1]?.trim();
      const body = text.slice(head.length + 4);
      const outcome = outcomeOf(Number(status ?? 0), header('x-served-by'), header('x-cache'), body, undefined, header('x-topolab-blocked-by'));
      resolve(error !== undefined && outcome.status === 0 ? { ...outcome, error } : outcome);
    };
    const timer = setTimeout(() => finish('timed out'), PROBE_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (responseComplete(Buffer.concat(chunks).toString('latin1'))) finish();
    });
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    socket.on('error', (err) => finish(err.message));
    socket.write(spec.bytes, 'latin1');
  });
}

/** Whether a complete response with a Content-Length has arrived (so a server keeping the connection open does not cost the timeout). */
function responseComplete(text: string): boolean {
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) return false;
  const length = /^content-length:[ \t]*(\d+)/im.exec(text.slice(0, end))?.[1];
  return length !== undefined && text.length - end - 4 >= Number(length);
}
