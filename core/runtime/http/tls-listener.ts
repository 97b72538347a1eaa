import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import { pickCertificateName } from '../../model/tls-hosts.js';
import type { Endpoint } from '../services/types.js';
import type { HttpFrontEnd } from './front-end.js';
import { closeServer, listenOn } from './front-end.js';
import { SocketRegistry } from './sockets.js';

/** One certificate a TLS listener serves: the host name it is picked for by SNI. */
export interface ServedCertificate {
  host: string;
  /** Leaf then CA certificate, PEM. */
  certPem: string;
  keyPem: string;
}

/** HTTPS on a lab service: the certificates (the first is the default), the policy, the designed port. */
export interface TlsListenerOptions {
  certificates: readonly ServedCertificate[];
  /** Default TLSv1.2; older versions are never offered. */
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** The designed HTTPS port: what a redirect's `Location` names (omitted when 443). */
  designedPort: number;
  /** The plain listener answers every request with this redirect to https. */
  redirect?: 301 | 308;
  /** `Strict-Transport-Security` value for HTTPS answers. */
  hsts?: string;
  /** Loopback port to bind (default any). */
  port?: number;
}

/** A TLS handshake must finish within this, or the connection is dropped (a cut-off ClientHello). */
const HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * The HTTPS listener of a service: terminates TLS (SNI picks the host's certificate, TLS
 * 1.2+ only, HTTP/1.1 by ALPN) and hands each decrypted connection to the service's own HTTP
 * front end, so HTTPS requests get exactly the hygiene, limits and handling of plain ones.
 * A failed handshake (garbage, plain HTTP, an old version, a cut-off hello) costs only that
 * connection, reported through `onHandshakeError`.
 */
export class TlsListener {
  private readonly server: tls.Server;
  private readonly raw = new SocketRegistry();
  private bound: Endpoint | undefined;
  private lastPort: number | undefined;

  constructor(
    private readonly nodeId: string,
    front: HttpFrontEnd,
    private readonly options: TlsListenerOptions,
    onHandshakeError: (message: string) => void,
  ) {
    const minVersion = options.minVersion ?? 'TLSv1.2';
    const names = options.certificates.map((c) => c.host);
    const contexts = new Map(options.certificates.map((c) => [c.host, tls.createSecureContext({ cert: c.certPem, key: c.keyPem, minVersion })]));
    const first = options.certificates[0];
    if (first === undefined) throw new Error(`${nodeId}: an HTTPS listener needs at least one certificate`);
    this.server = tls.createServer({
      cert: first.certPem,
      key: first.keyPem,
      minVersion,
      ALPNProtocols: ['http/1.1'],
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      // As Node's HTTP server does: without it Nagle holds a response's last TLS record for the client's delayed ACK (~40 ms).
      noDelay: true,
      SNICallback: (servername, done) => done(null, contexts.get(pickCertificateName(names, servername) ?? '')),
    });
    this.server.on('connection', (socket: Socket) => this.raw.add(socket));
    this.server.on('secureConnection', (socket: tls.TLSSocket) => front.server.emit('connection', socket));
    this.server.on('tlsClientError', (err: NodeJS.ErrnoException, socket: tls.TLSSocket) => {
      socket.destroy();
      onHandshakeError(`TLS handshake failed: ${err.code ?? err.message}`);
    });
    this.server.on('error', () => undefined);
  }

  /** Binds the listener (again on its previous port after a stop). */
  async listen(host: string): Promise<Endpoint> {
    const endpoint = await listenOn(this.server, host, this.options.port ?? this.lastPort ?? 0, `${this.nodeId} (https)`);
    this.bound = endpoint;
    this.lastPort = endpoint.port;
    return endpoint;
  }

  endpoint(): Endpoint | undefined {
    return this.bound;
  }

  async close(): Promise<void> {
    this.bound = undefined;
    await closeServer(this.server, this.raw);
  }

  /**
   * Applies the HTTPS policy to a request before the service sees it: on the plain listener
   * with a redirect, answers it (true); on HTTPS, adds HSTS. HSTS is never sent over plain
   * HTTP, where RFC 6797 8.1 says browsers must ignore it.
   */
  intercept(req: IncomingMessage, res: ServerResponse): { answered: number } | undefined {
    const encrypted = (req.socket as Partial<tls.TLSSocket>).encrypted === true;
    if (encrypted) {
      if (this.options.hsts !== undefined) res.setHeader('strict-transport-security', this.options.hsts);
      return undefined;
    }
    const status = this.options.redirect;
    if (status === undefined) return undefined;
    const location = httpsLocation(req.headers.host ?? '', req.url ?? '/', this.options.designedPort);
    res.writeHead(status, { location, 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(location) + 1, 'x-served-by': this.nodeId });
    res.end(req.method === 'HEAD' ? undefined : `${location}\n`);
    return { answered: status };
  }
}

/** `https://` plus the request's host name (its port dropped), the HTTPS port unless 443, and the path. */
export function httpsLocation(hostHeader: string, path: string, port: number): string {
  // Lower-cased, as nginx's $host is.
  const host = (hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : (hostHeader.split(':')[0] ?? '')).toLowerCase();
  return `https://${host}${port === 443 ? '' : `:${port}`}${path}`;
}
