import { lookup } from 'node:dns/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import net, { type Socket } from 'node:net';
import { safeParseIp } from '../../cidr/address.js';
import { sendBlocked, sendError, writeRawError } from '../http/errors.js';
import { bodyFraming, forwardTo, limitedBody } from '../http/forward.js';
import { buildForwardHeaders } from '../http/headers.js';
import { UpstreamPools } from '../http/pools.js';
import { HttpServiceBase } from './base.js';
import { compilePolicy, decideHost, isLinkLocal, normalizeHostName, type HostPolicy } from './host-policy.js';
import { allowAll, type ConnectGate, type Endpoint, type ForwardProxyOptions, type ForwardProxyService, type LabResolver } from './types.js';

/** Where a request may go, or the status and message refusing it. */
type Resolution = { ok: true; endpoint: Endpoint } | { ok: false; status: number; code: string; message: string; blockedBy?: string; to?: string };

/**
 * The forward proxy: absolute-form HTTP requests and CONNECT tunnels, filtered by the
 * allow/deny policy (lab destinations only by default, link-local and metadata addresses
 * never), mapped from designed addresses to lab endpoints, and subject to the routing
 * gate. A tunnel closes both sockets when either side ends or fails.
 */
export class ForwardProxy extends HttpServiceBase implements ForwardProxyService {
  readonly kind = 'forward-proxy' as const;
  private policy: HostPolicy;
  private readonly labAddress: LabResolver;
  private readonly gate: ConnectGate;
  private readonly pools: UpstreamPools;
  private readonly connectTimeoutMs: number;
  private readonly tunnels = new Set<Socket>();

  constructor(options: ForwardProxyOptions) {
    super(options, options);
    this.policy = compilePolicy(options.allow, options.deny);
    this.labAddress = options.labAddress;
    this.gate = options.gate ?? allowAll;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.pools = new UpstreamPools({ connections: 64, connectTimeoutMs: this.connectTimeoutMs, timeoutMs: options.timeoutMs ?? 30_000 });
    this.front.server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      void this.tunnel(req, socket, head);
    });
  }

  setPolicy(policy: { allow?: readonly string[]; deny?: readonly string[] }): void {
    this.policy = compilePolicy(policy.allow, policy.deny);
  }

  /** Applies policy, lab mapping and the gate to a destination. */
  private async resolve(rawHost: string, port: number): Promise<Resolution> {
    const host = normalizeHostName(rawHost);
    const lab = this.labAddress(host, port);
    const literal = safeParseIp(host);
    const decision = decideHost(this.policy, host, literal, lab !== undefined);
    if (!decision.allowed) return { ok: false, status: 403, code: 'forbidden', message: decision.reason };
    if (lab !== undefined) {
      const verdict = this.gate(this.nodeId, lab.nodeId);
      if (!verdict.allowed) return { ok: false, status: 502, code: 'blocked-by-routing', message: verdict.reason, blockedBy: verdict.blockedBy, to: lab.nodeId };
      return { ok: true, endpoint: lab.endpoint };
    }
    // Allowed outside the lab by the allow list: resolve once and check the address itself,
    // so a name pointing at a metadata address or a denied network is still refused.
    let address: string;
    try {
      address = literal !== undefined ? host : (await lookup(host)).address;
    } catch {
      return { ok: false, status: 502, code: 'bad-gateway', message: `cannot resolve ${host}` };
    }
    const ip = safeParseIp(address);
    if (ip !== undefined && literal === undefined) {
      if (isLinkLocal(ip)) return { ok: false, status: 403, code: 'forbidden', message: `${host} resolves to link-local ${address}, which the proxy always refuses` };
      const again = decideHost({ allow: [], deny: this.policy.deny }, address, ip, true);
      if (!again.allowed) return { ok: false, status: 403, code: 'forbidden', message: `${host} resolves to ${address}: ${again.reason}` };
    }
    return { ok: true, endpoint: { host: address, port } };
  }

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    void this.relay(req, res).catch(() => sendError(res, 502, 'bad-gateway', 'forward proxy failed', this.nodeId));
  }

  private async relay(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const target = req.url ?? '';
    if (!/^http:\/\//i.test(target)) {
      const message = /^https:\/\//i.test(target)
        ? 'https URLs go through a CONNECT tunnel (curl -p / --proxytunnel, or let the client use CONNECT)'
        : 'this is a forward proxy: send absolute-form requests (GET http://host/path) or CONNECT';
      this.stats.finish(400, 0);
      sendError(res, 400, 'not-absolute-form', message, this.nodeId);
      return;
    }
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      this.stats.finish(400, 0);
      sendError(res, 400, 'bad-url', `cannot parse ${target.slice(0, 200)}`, this.nodeId);
      return;
    }
    const port = url.port === '' ? 80 : Number(url.port);
    const resolution = await this.resolve(url.hostname, port);
    if (!resolution.ok) {
      this.stats.finish(resolution.status, performance.now() - started);
      if (resolution.blockedBy !== undefined) sendBlocked(res, this.nodeId, resolution.to ?? url.hostname, resolution.blockedBy, resolution.message);
      else sendError(res, resolution.status, resolution.code, resolution.message, this.nodeId);
      return;
    }
    const built = buildForwardHeaders(req.rawHeaders, { remoteAddress: req.socket.remoteAddress ?? '', localPort: req.socket.localPort ?? 0, nodeId: this.nodeId });
    if (built.loop) {
      this.stats.finish(508, performance.now() - started);
      sendError(res, 508, 'loop-detected', `request already passed through ${this.nodeId}`, this.nodeId);
      return;
    }
    const framing = bodyFraming(req.rawHeaders);
    forwardTo(this.pools.get(resolution.endpoint), {
      res,
      method: req.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      headers: built.headers,
      body: framing === 'none' ? null : framing === 'chunked' ? limitedBody(req, this.front.limits.maxBodyBytes) : req,
      nodeId: this.nodeId,
      done: (outcome) => {
        if (outcome.ok) {
          this.stats.finish(outcome.status, performance.now() - started);
          return;
        }
        const status = outcome.tooLarge ? 413 : outcome.failure.status;
        this.stats.finish(status, performance.now() - started);
        sendError(res, status, outcome.tooLarge ? 'body-too-large' : 'bad-gateway', outcome.tooLarge ? 'request body too large' : outcome.failure.message, this.nodeId);
      },
    });
  }

  private async tunnel(req: IncomingMessage, client: Socket, head: Buffer): Promise<void> {
    const started = performance.now();
    client.on('error', () => client.destroy());
    const authority = req.url ?? '';
    const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s/]+):(\d{1,5})$/.exec(authority);
    const port = match ? Number(match[2]) : 0;
    if (!match || port < 1 || port > 65535) {
      this.stats.finish(400, 0);
      writeRawError(client, 400, `CONNECT needs host:port, got "${authority.slice(0, 200)}"`);
      return;
    }
    const resolution = await this.resolve(match[1] as string, port);
    if (!resolution.ok) {
      this.stats.finish(resolution.status, performance.now() - started);
      writeRawError(client, resolution.status, resolution.message, resolution.blockedBy ? { 'x-topolab-blocked-by': resolution.blockedBy } : {});
      return;
    }
    if (client.destroyed) return;
    const upstream = net.connect({ host: resolution.endpoint.host, port: resolution.endpoint.port });
    this.tunnels.add(upstream);
    let open = false;
    const timer = setTimeout(() => upstream.destroy(new Error('connect timeout')), this.connectTimeoutMs);
    upstream.once('connect', () => {
      clearTimeout(timer);
      open = true;
      this.stats.finish(200, performance.now() - started);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (open) {
        client.destroy();
        return;
      }
      this.stats.finish(502, performance.now() - started);
      writeRawError(client, 502, `cannot connect to ${authority} (${err.code ?? err.message})`);
    });
    upstream.once('close', () => {
      clearTimeout(timer);
      this.tunnels.delete(upstream);
      if (open) client.destroy();
    });
    client.once('close', () => upstream.destroy());
  }

  protected override async onStop(): Promise<void> {
    for (const socket of this.tunnels) socket.destroy();
    await this.pools.closeAll();
  }
}
