/**
 * A child process of the HTTPS benchmark (test/bench/tls.bench.ts): a bare Node
 * hello-world server, `http` or `https CERT KEY`, to measure what TLS itself costs Node per
 * request with keep-alive, apart from the balancer. Prints its endpoint as a JSON array and
 * serves until SIGTERM.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

const [scheme, certFile, keyFile] = process.argv.slice(2);
const body = 'hello world\n';
const answer = (_req: http.IncomingMessage, res: http.ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
  res.end(body);
};
const server =
  scheme === 'https'
    ? https.createServer({ cert: readFileSync(certFile ?? ''), key: readFileSync(keyFile ?? ''), minVersion: 'TLSv1.2', noDelay: true }, answer)
    : http.createServer(answer);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(JSON.stringify([{ host: '127.0.0.1', port }]) + '\n');
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
