import { UPSTREAM_DEFAULTS } from '../../model/defaults.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import net, { type Socket } from 'node:net';
import { safeParseIp } from '../../cidr/address.js';
import { formatAuthority } from '../http/authority.js';
import { sendBlocked, sendError, writeRawBlocked, writeRawError } from '../http/errors.js';
import { bodyFraming, forwardTo, limitedBody } from '../http/forward.js';
import { buildForwardHeaders } from '../http/headers.js';
import { inspectRequest } from '../http/hygiene.js';
import { requireLabEndpoint } from '../http/lab-endpoint.js';
import { UpstreamPools } from '../http/pools.js';
import { parseRequestTarget } from '../http/request-target.js';
import { failureErrorCode, refusedByUndici } from '../http/upstream-errors.js';
import { HttpServiceBase } from './base.js';
import { canonicalHost, decideDestination, type Destination } from './destination.js';
import { compilePolicy, type HostPolicy } from './host-policy.js';
import { answerAsInternet, INTERNET_HEADER } from './internet.js';
import { allowAll, type ConnectGate, type ForwardProxyOptions, type ForwardProxyService, type LabResolver, type ResolveName } from './types.js';

/**
 * Client sockets of CONNECT tunnels whose far end is the internet stand-in, with the
 * destination (`host:port`) each stands for. The proxy's own HTTP server serves them again
 * (same hygiene and timeouts), reading their requests in origin-form.
 */
const tunnelsToInternet = new WeakMap<Socket, string>();

/**
 * The forward proxy: absolute-form HTTP requests and CONNECT tunnels, filtered by the
 * allow/deny policy (lab destinations only by default; loopback, link-local and metadata
 * addresses never), mapped from designed addresses and node ids to lab endpoints, and
 * subject to the routing gate. It connects to lab endpoints only: an allowed destination
 * outside the design is answered by the lab's internet stand-in, and names are resolved
 * only through the lab's own DNS (the design's zones), never by the system. A tunnel closes both sockets when either side ends or fails.
 */
export class ForwardProxy extends HttpServiceBase implements ForwardProxyService {
  readonly kind = 'forward-proxy' as const;
  private policy: HostPolicy;
  private readonly labAddress: LabResolver;
  private readonly resolveName: ResolveName | undefined;
  private readonly gate: ConnectGate;
  private readonly pools: UpstreamPools;
  private readonly connectTimeoutMs: number;
  private readonly tunnels = new Set<Socket>();

  constructor(options: ForwardProxyOptions) {
    super(options, options, (socket) => (tunnelsToInternet.has(socket) ? 'server' : 'proxy'));
    this.policy = compilePolicy(options.allow, options.deny);
    this.labAddress = options.labAddress;
    this.resolveName = options.resolveName;
    this.gate = options.gate ?? allowAll;
    this.connectTimeoutMs = options.connectTimeoutMs ?? UPSTREAM_DEFAULTS.connectTimeoutMs;
    this.pools = new UpstreamPools({ connections: 64, connectTimeoutMs: this.connectTimeoutMs, timeoutMs: options.timeoutMs ?? UPSTREAM_DEFAULTS.timeoutMs });
    this.front.server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => this.tunnel(req, socket, head));
  }

  setPolicy(policy: { allow?: readonly string[]; deny?: readonly string[] }): void {
    this.policy = compilePolicy(policy.allow, policy.deny);
  }

  /**
   * Where a request for `host:port` goes. A name that is no node id is asked of the lab's DNS
   * first (never a resolver outside the design), and its answers are tried in order, as a
   * client does; a name the lab's DNS does not answer is decided as before (the internet).
   */
  private async destination(host: string, port: number): Promise<Destination> {
    const answered = await this.answersFor(host);
    return decideDestination(host, port, { nodeId: this.nodeId, policy: this.policy, labAddress: this.labAddress, gate: this.gate }, answered);
  }

  /** The lab DNS's addresses for a name that is not a node id or an address; empty otherwise. */
  private async answersFor(host: string): Promise<string[]> {
    const name = this.resolveName ? canonicalHost(host) : undefined;
    if (!this.resolveName || name === undefined || name === '' || safeParseIp(name) !== undefined || this.labAddress(name, 0) !== undefined) return [];
    return this.resolveName(name).catch(() => []);
  }

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const inTunnel = tunnelsToInternet.get(req.socket);
    if (inTunnel !== undefined) {
      this.stats.finish(200, 0);
      answerAsInternet(req, res, inTunnel, req.url ?? '/');
      return;
    }
    const parsed = parseRequestTarget(req.url ?? '', req.method ?? 'GET');
    // The front end let only absolute-form http targets through.
    if (!parsed.ok || parsed.target.form !== 'absolute') {
      this.stats.finish(400, 0);
      sendError(res, 400, 'not-absolute-form', 'send absolute-form requests (GET http://host/path) or CONNECT', this.nodeId, undefined, true);
      return;
    }
    const { authority, path, raw } = parsed.target;
    const port = authority.port ?? 80;
    void this.destination(authority.host, port).then(
      (destination) => this.forward(req, res, destination, { host: authority.host, raw }, port, path, started),
      (err: unknown) => {
        this.stats.finish(502, performance.now() - started);
        sendError(res, 502, 'bad-gateway', `cannot decide where ${authority.host} is: ${(err as Error).message}`, this.nodeId);
      },
    );
  }

  /** Sends an absolute-form request on to where `destination` says (or answers it, refused or as the internet). */
  private forward(req: IncomingMessage, res: ServerResponse, destination: Destination, authority: { host: string; raw: string }, port: number, path: string, started: number): void {
    if (destination.kind === 'refused') {
      this.stats.finish(destination.status, performance.now() - started);
      if (destination.block !== undefined) sendBlocked(res, this.nodeId, destination.to ?? authority.host, destination.block);
      else sendError(res, destination.status, destination.code, destination.message, this.nodeId);
      return;
    }
    // A proxy forwarding an absolute-form request sends the URI's authority as Host (RFC 9112 3.2.2).
    const built = buildForwardHeaders(
      req.rawHeaders,
      { remoteAddress: req.socket.remoteAddress ?? '', localPort: req.socket.localPort ?? 0, nodeId: this.nodeId },
      { host: authority.raw },
    );
    if (built.loop) {
      this.stats.finish(508, performance.now() - started);
      sendError(res, 508, 'loop-detected', `request already passed through ${this.nodeId}`, this.nodeId);
      return;
    }
    if (destination.kind === 'internet') {
      this.stats.finish(200, performance.now() - started);
      answerAsInternet(req, res, formatAuthority({ host: destination.host, port }, 80), path, `1.1 ${this.nodeId}`);
      return;
    }
    const framing = bodyFraming(req.rawHeaders);
    let pool;
    try {
      pool = this.pools.plain(destination.endpoint);
    } catch (err) {
      this.stats.finish(500, 0);
      sendError(res, 500, 'outside-lab', (err as Error).message, this.nodeId);
      return;
    }
    forwardTo(pool, {
      res,
      method: req.method ?? 'GET',
      path,
      headers: built.headers,
      body: framing === 'none' ? null : framing === 'chunked' ? limitedBody(req, this.front.limits.maxBodyBytes) : req,
      nodeId: this.nodeId,
      done: (outcome) => {
        if (outcome.ok) {
          this.stats.finish(outcome.status, performance.now() - started);
          return;
        }
        const { failure } = outcome;
        if (res.writableEnded || res.destroyed || failure.status === 499) {
          if (!res.writableEnded) this.stats.finish(499, performance.now() - started);
          return;
        }
        if (refusedByUndici(failure)) this.pools.replace(destination.endpoint);
        this.stats.finish(failure.status, performance.now() - started);
        sendError(res, failure.status, failureErrorCode(failure), failure.message, this.nodeId, undefined, failure.kind === 'client' || failure.kind === 'unforwardable');
      },
    });
  }

  private tunnel(req: IncomingMessage, client: Socket, head: Buffer): void {
    const started = performance.now();
    client.on('error', () => client.destroy());
    if (tunnelsToInternet.has(client)) {
      this.stats.finish(405, 0);
      writeRawError(client, 405, `${tunnelsToInternet.get(client) ?? 'this host'} (the internet stand-in) is not a proxy`);
      return;
    }
    const verdict = inspectRequest(
      { method: 'CONNECT', url: req.url ?? '', httpVersionMajor: req.httpVersionMajor, httpVersionMinor: req.httpVersionMinor, rawHeaders: req.rawHeaders },
      'proxy',
    );
    const parsed = parseRequestTarget(req.url ?? '', 'CONNECT');
    if (verdict.action === 'refuse' || !parsed.ok || parsed.target.form !== 'authority') {
      const status = verdict.action === 'refuse' ? verdict.status : 400;
      this.stats.finish(status, 0);
      writeRawError(client, status, verdict.action === 'refuse' ? verdict.message : parsed.ok ? 'CONNECT needs host:port' : parsed.problem);
      return;
    }
    const { authority } = parsed.target;
    const port = authority.port ?? 443;
    void this.destination(authority.host, port).then(
      (destination) => this.open(client, head, destination, authority.host, port, started),
      (err: unknown) => {
        this.stats.finish(502, performance.now() - started);
        writeRawError(client, 502, `cannot decide where ${authority.host} is: ${(err as Error).message}`);
      },
    );
  }

  /** Opens a CONNECT tunnel to where `destination` says (or answers it, refused or as the internet). */
  private open(client: Socket, head: Buffer, destination: Destination, host: string, port: number, started: number): void {
    if (destination.kind === 'refused') {
      this.stats.finish(destination.status, performance.now() - started);
      if (destination.block !== undefined) writeRawBlocked(client, this.nodeId, destination.to ?? host, destination.block);
      else writeRawError(client, destination.status, destination.message);
      return;
    }
    if (client.destroyed) return;
    if (destination.kind === 'internet') {
      const name = formatAuthority({ host: destination.host, port }, 443);
      this.stats.finish(200, performance.now() - started);
      client.write(`HTTP/1.1 200 Connection Established\r\n${INTERNET_HEADER}: ${name}\r\n\r\n`);
      // The proxy's own server reads the tunnel's requests, with its hygiene and timeouts.
      tunnelsToInternet.set(client, name);
      if (head.length > 0) client.unshift(head);
      this.front.server.emit('connection', client);
      return;
    }
    let endpoint;
    try {
      endpoint = requireLabEndpoint(destination.endpoint);
    } catch (err) {
      this.stats.finish(500, 0);
      writeRawError(client, 500, (err as Error).message);
      return;
    }
    this.splice(client, head, net.connect({ host: endpoint.host, port: endpoint.port }), `${host}:${port}`, started);
  }

  /** Joins a client and a lab upstream once the upstream accepts; a failure or close on either side closes both. */
  private splice(client: Socket, head: Buffer, upstream: Socket, authority: string, started: number): void {
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
