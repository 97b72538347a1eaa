/**
 * BENCH TOOL ONLY: never wire this into the product, and never point hostile traffic at
 * it. It has no header, body or request timeouts, no size limits beyond llhttp's own, no
 * path normalisation, no routing gate, no health checks or metrics; it exists to measure
 * how little CPU a request could cost on a different request path in one Node thread.
 *
 * The prototype forwarder of the floor benchmark (../floor.bench.ts): raw `net` sockets on
 * both sides, HTTP/1.1 parsed by llhttp (./llhttp.ts), request mode towards clients and
 * response mode towards upstreams; keep-alive both ways; a small pool of idle upstream
 * sockets per target, targets in round robin; the request forwarded with the headers the
 * lab adds (X-Forwarded-For appended, X-Real-IP, X-Forwarded-Proto/Port, Via) and
 * hop-by-hop headers removed both ways; bodies by Content-Length or chunked (chunked is
 * re-encoded from llhttp's decoded body callbacks); pipelined requests are answered one
 * at a time (the client parser pauses after each request until its response is out).
 * A response head and a small body go out as one write; other writes made while one chunk
 * is parsed are corked and go out as one `writev`.
 *
 * Known gaps besides the missing limits and timeouts: a client that half-closes its side
 * gets no answer (the socket is not half-open), an upstream response delimited by closing
 * the connection is cut off (llhttp_finish is never called), and upgrades are not relayed.
 */
import net from 'node:net';
import tls from 'node:tls';
import { ERROR, HttpParser, TYPE, type ParserCallbacks } from './llhttp.js';

export interface Target {
  host: string;
  port: number;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization']);
/** Request headers the forwarder sets itself (a client's value of XFF and Via is kept as earlier entries). */
const SET_ON_REQUEST = new Set(['x-forwarded-for', 'x-real-ip', 'x-forwarded-proto', 'x-forwarded-port', 'via', 'expect']);
const MAX_IDLE_PER_TARGET = 64;
const IDLE_TIMEOUT_MS = 4_000;
const CLIENT_KEEP_ALIVE_MS = 5_000;
const NODE_ID = 'floor';
/** A response body piece up to this size goes out in one write with the head. */
const SMALL_BODY = 16 * 1024;

/** Sockets corked while one chunk is parsed; uncorked after it (one writev each). */
const corked: net.Socket[] = [];
function cork(socket: net.Socket): void {
  if (socket.writableCorked === 0) {
    socket.cork();
    corked.push(socket);
  }
}
function uncorkAll(): void {
  while (corked.length > 0) corked.pop()!.uncork();
}

/** Collects header fields and values (llhttp may split either across chunks). */
class HeaderList {
  items: string[] = [];
  private inValue = false;
  reset(): void {
    this.items = [];
    this.inValue = false;
  }
  field(chunk: Buffer, start: number, end: number): void {
    const text = chunk.toString('latin1', start, end);
    if (this.inValue || this.items.length === 0) {
      this.items.push(text, '');
      this.inValue = false;
    } else this.items[this.items.length - 2] += text;
  }
  value(chunk: Buffer, start: number, end: number): void {
    this.items[this.items.length - 1] += chunk.toString('latin1', start, end);
    this.inValue = true;
  }
}

/** Header names a Connection header lists (lower case), besides keep-alive and close. */
function connectionTokens(value: string, into: Set<string>): void {
  for (const token of value.split(',')) {
    const t = token.trim().toLowerCase();
    if (t !== '' && t !== 'keep-alive' && t !== 'close') into.add(t);
  }
}

function statusText(status: number): string {
  return status === 200 ? 'OK' : status === 400 ? 'Bad Request' : status === 502 ? 'Bad Gateway' : '';
}

/** One client connection; at most one request of it is forwarded at a time. */
class ClientConnection implements ParserCallbacks {
  readonly parser = new HttpParser(TYPE.REQUEST, this);
  private readonly headers = new HeaderList();
  private url = '';
  private upstream: UpstreamConnection | null = null;
  private requestChunked = false;
  /** The request being forwarded is complete (parser paused after it). */
  private requestDone = false;
  /** Response headers went out for the current request. */
  responseStarted = false;
  keepAlive = true;
  method = 'GET';
  private readonly remote: string;
  private readonly localPort: string;

  constructor(
    readonly socket: net.Socket,
    private readonly forwarder: RawForwarder,
  ) {
    socket.setNoDelay(true);
    socket.setTimeout(CLIENT_KEEP_ALIVE_MS);
    this.remote = socket.remoteAddress ?? '';
    this.localPort = String(socket.localPort ?? '');
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('timeout', () => {
      if (this.upstream === null) socket.destroy();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.onClose());
    socket.on('drain', () => this.upstream?.socket.resume());
  }

  private onData(chunk: Buffer): void {
    const ret = this.parser.execute(chunk);
    uncorkAll();
    if (ret === ERROR.PAUSED) {
      // A request is complete and its response is still coming: read no further yet.
      this.socket.pause();
    } else if (ret !== ERROR.OK) {
      this.fail(400);
    }
  }

  onMessageBegin(): number {
    this.headers.reset();
    this.url = '';
    this.requestChunked = false;
    this.requestDone = false;
    this.responseStarted = false;
    return 0;
  }

  onUrl(chunk: Buffer, start: number, end: number): number {
    this.url += chunk.toString('latin1', start, end);
    return 0;
  }

  onStatus(): number {
    return 0;
  }

  onHeaderField(chunk: Buffer, start: number, end: number): number {
    this.headers.field(chunk, start, end);
    return 0;
  }

  onHeaderValue(chunk: Buffer, start: number, end: number): number {
    this.headers.value(chunk, start, end);
    return 0;
  }

  onHeadersComplete(): number {
    this.method = this.parser.method();
    this.keepAlive = this.parser.shouldKeepAlive();
    const items = this.headers.items;
    let head = this.method + ' ' + this.url + ' HTTP/1.1\r\n';
    let xff = '';
    let via = '';
    let dropped: Set<string> | null = null;
    let expectContinue = false;
    let hasLength = false;
    for (let i = 0; i < items.length; i += 2) {
      const name = items[i] as string;
      const value = items[i + 1] as string;
      const lower = name.toLowerCase();
      if (HOP_BY_HOP.has(lower) || lower.startsWith('proxy-')) {
        if (lower === 'connection') connectionTokens(value, (dropped ??= new Set()));
        else if (lower === 'transfer-encoding') this.requestChunked = true;
        continue;
      }
      if (SET_ON_REQUEST.has(lower)) {
        if (lower === 'x-forwarded-for') xff = xff === '' ? value : xff + ', ' + value;
        else if (lower === 'via') via = via === '' ? value : via + ', ' + value;
        else if (lower === 'expect') expectContinue = value.toLowerCase() === '100-continue';
        continue;
      }
      if (lower === 'content-length') hasLength = true;
      if (dropped !== null && dropped.has(lower)) continue;
      head += name + ': ' + value + '\r\n';
    }
    if (dropped !== null && dropped.size > 0) {
      // A Connection header after the fields it names: build the head again without them.
      head = this.method + ' ' + this.url + ' HTTP/1.1\r\n';
      for (let i = 0; i < items.length; i += 2) {
        const lower = (items[i] as string).toLowerCase();
        if (HOP_BY_HOP.has(lower) || lower.startsWith('proxy-') || SET_ON_REQUEST.has(lower) || dropped.has(lower)) continue;
        head += (items[i] as string) + ': ' + (items[i + 1] as string) + '\r\n';
      }
    }
    head +=
      'X-Forwarded-For: ' + (xff === '' ? this.remote : xff + ', ' + this.remote) +
      '\r\nX-Real-IP: ' + this.remote +
      '\r\nX-Forwarded-Proto: ' + this.forwarder.proto + '\r\nX-Forwarded-Port: ' + this.localPort +
      '\r\nVia: ' + (via === '' ? '' : via + ', ') + '1.1 ' + NODE_ID +
      (this.requestChunked ? '\r\nTransfer-Encoding: chunked\r\n\r\n' : '\r\n\r\n');
    if (expectContinue) {
      cork(this.socket);
      this.socket.write('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');
    }
    const upstream = this.forwarder.acquire(this);
    this.upstream = upstream;
    // Without a body the head is one write; with one, head and body pieces go out as one writev.
    if (this.requestChunked || hasLength) cork(upstream.socket);
    upstream.socket.write(head, 'latin1');
    return 0;
  }

  onBody(chunk: Buffer, start: number, end: number): number {
    const upstream = this.upstream;
    if (upstream === null) return 0;
    const data = chunk.subarray(start, end);
    let ok: boolean;
    if (this.requestChunked) {
      upstream.socket.write((end - start).toString(16) + '\r\n', 'latin1');
      upstream.socket.write(data);
      ok = upstream.socket.write('\r\n', 'latin1');
    } else ok = upstream.socket.write(data);
    if (!ok) {
      this.socket.pause();
      upstream.socket.once('drain', () => this.socket.resume());
    }
    return 0;
  }

  onMessageComplete(): number {
    if (this.requestChunked && this.upstream !== null) this.upstream.socket.write('0\r\n\r\n', 'latin1');
    this.requestDone = true;
    // Answer this request before parsing the next one on this connection (pipelining).
    return ERROR.PAUSED;
  }

  /** The upstream's response is fully written to the client. */
  responseDone(): void {
    this.upstream = null;
    if (!this.keepAlive || !this.requestDone) {
      this.socket.end();
      return;
    }
    this.parser.resume();
    const rest = this.parser.rest;
    this.parser.rest = null;
    this.socket.resume();
    if (rest !== null && rest.length > 0) this.onData(rest);
  }

  /** The upstream failed: 502 if nothing was sent yet, otherwise cut the connection. */
  upstreamFailed(): void {
    this.upstream = null;
    if (this.responseStarted) this.socket.destroy();
    else this.fail(502);
  }

  private fail(status: number): void {
    const body = `${status} ${statusText(status)}\n`;
    this.socket.end(`HTTP/1.1 ${status} ${statusText(status)}\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`, 'latin1');
    this.upstream?.abandon();
    this.upstream = null;
  }

  private onClose(): void {
    this.upstream?.abandon();
    this.upstream = null;
    this.parser.destroy();
  }
}

/** One pooled keep-alive connection to an upstream target. */
class UpstreamConnection implements ParserCallbacks {
  readonly parser = new HttpParser(TYPE.RESPONSE, this);
  readonly socket: net.Socket;
  client: ClientConnection | null = null;
  private readonly headers = new HeaderList();
  private status = 0;
  private reason = '';
  private chunkedToClient = false;
  private closed = false;
  /** The response head, held back to go out in one write with the first body piece. */
  private pendingHead: string | null = null;

  constructor(
    readonly target: Target,
    private readonly forwarder: RawForwarder,
  ) {
    this.socket = net.connect({ host: target.host, port: target.port, noDelay: true });
    this.socket.setTimeout(IDLE_TIMEOUT_MS);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('timeout', () => {
      if (this.client === null) this.socket.destroy();
    });
    this.socket.on('error', () => this.socket.destroy());
    this.socket.on('close', () => this.onClose());
    this.socket.on('drain', () => this.client?.socket.resume());
  }

  private onData(chunk: Buffer): void {
    const ret = this.parser.execute(chunk);
    this.flushHead();
    uncorkAll();
    if (ret !== ERROR.OK && ret !== ERROR.PAUSED) this.socket.destroy();
  }

  private flushHead(): void {
    if (this.pendingHead === null) return;
    this.client?.socket.write(this.pendingHead, 'latin1');
    this.pendingHead = null;
  }

  onMessageBegin(): number {
    this.headers.reset();
    this.reason = '';
    return 0;
  }

  onUrl(): number {
    return 0;
  }

  onStatus(chunk: Buffer, start: number, end: number): number {
    this.reason += chunk.toString('latin1', start, end);
    return 0;
  }

  onHeaderField(chunk: Buffer, start: number, end: number): number {
    this.headers.field(chunk, start, end);
    return 0;
  }

  onHeaderValue(chunk: Buffer, start: number, end: number): number {
    this.headers.value(chunk, start, end);
    return 0;
  }

  onHeadersComplete(statusCode: number): number {
    this.status = statusCode;
    const client = this.client;
    if (client === null || statusCode < 200) return 0; // 1xx: the final response follows
    const items = this.headers.items;
    let head = 'HTTP/1.1 ' + statusCode + ' ' + this.reason + '\r\n';
    let via = '';
    let framed = false;
    let dropped: Set<string> | null = null;
    for (let i = 0; i < items.length; i += 2) {
      const name = items[i] as string;
      const value = items[i + 1] as string;
      const lower = name.toLowerCase();
      if (HOP_BY_HOP.has(lower) || lower.startsWith('proxy-')) {
        if (lower === 'connection') connectionTokens(value, (dropped ??= new Set()));
        continue;
      }
      if (lower === 'via') {
        via = via === '' ? value : via + ', ' + value;
        continue;
      }
      if (lower === 'content-length') framed = true;
      if (dropped !== null && dropped.has(lower)) continue;
      head += name + ': ' + value + '\r\n';
    }
    if (dropped !== null && dropped.size > 0) {
      head = 'HTTP/1.1 ' + statusCode + ' ' + this.reason + '\r\n';
      for (let i = 0; i < items.length; i += 2) {
        const lower = (items[i] as string).toLowerCase();
        if (HOP_BY_HOP.has(lower) || lower.startsWith('proxy-') || lower === 'via' || dropped.has(lower)) continue;
        head += (items[i] as string) + ': ' + (items[i + 1] as string) + '\r\n';
      }
    }
    const noBody = client.method === 'HEAD' || statusCode === 204 || statusCode === 304;
    this.chunkedToClient = !framed && !noBody;
    head += 'Via: ' + (via === '' ? '' : via + ', ') + '1.1 ' + NODE_ID + '\r\n';
    if (this.chunkedToClient) head += 'Transfer-Encoding: chunked\r\n';
    if (!client.keepAlive) head += 'Connection: close\r\n';
    else if (this.parser.httpMinor() === 0 || client.parser.httpMinor() === 0) head += 'Connection: keep-alive\r\n';
    head += '\r\n';
    client.responseStarted = true;
    this.pendingHead = head;
    return client.method === 'HEAD' ? 1 : 0;
  }

  onBody(chunk: Buffer, start: number, end: number): number {
    const client = this.client;
    if (client === null) return 0;
    let ok: boolean;
    if (this.pendingHead !== null && end - start <= SMALL_BODY && !this.chunkedToClient) {
      // Head and a small body as one latin1 string: one write system call, no writev.
      ok = client.socket.write(this.pendingHead + chunk.toString('latin1', start, end), 'latin1');
      this.pendingHead = null;
    } else {
      cork(client.socket);
      this.flushHead();
      const data = chunk.subarray(start, end);
      if (this.chunkedToClient) {
        client.socket.write((end - start).toString(16) + '\r\n', 'latin1');
        client.socket.write(data);
        ok = client.socket.write('\r\n', 'latin1');
      } else ok = client.socket.write(data);
    }
    if (!ok) this.socket.pause();
    return 0;
  }

  onMessageComplete(): number {
    const client = this.client;
    if (client === null || this.status < 200) return 0;
    this.flushHead();
    if (this.chunkedToClient) client.socket.write('0\r\n\r\n', 'latin1');
    this.client = null;
    if (this.parser.shouldKeepAlive()) this.forwarder.release(this);
    else this.socket.end();
    client.responseDone();
    return 0;
  }

  /** The client went away mid-exchange: this socket's state is unknown, so drop it. */
  abandon(): void {
    this.client = null;
    this.socket.destroy();
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.forwarder.forget(this);
    this.parser.destroy();
    const client = this.client;
    this.client = null;
    client?.upstreamFailed();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

/** The prototype forwarder: one listener, round robin over the targets' pooled sockets. */
export class RawForwarder {
  private readonly server: net.Server;
  /** `https` when it terminates TLS (X-Forwarded-Proto). */
  readonly proto: 'http' | 'https';
  private readonly idle: UpstreamConnection[][];
  private readonly all = new Set<UpstreamConnection>();
  private next = 0;

  /** With `tlsOptions` it serves HTTPS: `tls.createServer` with that certificate, the same code on the decrypted sockets. */
  constructor(
    private readonly targets: readonly Target[],
    tlsOptions?: { cert: string; key: string },
  ) {
    this.idle = targets.map(() => []);
    this.proto = tlsOptions === undefined ? 'http' : 'https';
    const accept = (socket: net.Socket): void => void new ClientConnection(socket, this);
    this.server = tlsOptions === undefined ? net.createServer({ noDelay: true }, accept) : tls.createServer({ ...tlsOptions, minVersion: 'TLSv1.2', noDelay: true }, accept);
  }

  listen(port = 0, host = '127.0.0.1'): Promise<Target> {
    return new Promise((resolve) => {
      this.server.listen(port, host, () => {
        const address = this.server.address() as net.AddressInfo;
        resolve({ host: address.address, port: address.port });
      });
    });
  }

  /** An idle pooled socket to the next target in turn, or a new one. */
  acquire(client: ClientConnection): UpstreamConnection {
    const index = this.next;
    this.next = (index + 1) % this.targets.length;
    const idle = this.idle[index] as UpstreamConnection[];
    let conn = idle.pop();
    while (conn !== undefined && conn.isClosed) conn = idle.pop();
    if (conn === undefined) {
      conn = new UpstreamConnection(this.targets[index] as Target, this);
      this.all.add(conn);
    }
    conn.client = client;
    return conn;
  }

  release(conn: UpstreamConnection): void {
    const idle = this.idle[this.targets.indexOf(conn.target)] as UpstreamConnection[];
    if (idle.length >= MAX_IDLE_PER_TARGET) conn.socket.end();
    else idle.push(conn);
  }

  forget(conn: UpstreamConnection): void {
    this.all.delete(conn);
    const idle = this.idle[this.targets.indexOf(conn.target)] as UpstreamConnection[];
    const at = idle.indexOf(conn);
    if (at >= 0) idle.splice(at, 1);
  }

  close(): Promise<void> {
    for (const conn of this.all) conn.socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
