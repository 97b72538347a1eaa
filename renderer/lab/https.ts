/** Whether the lab's forms can send to a target over HTTPS, and on which designed port (pure: shared by the forms and tests). */
import type { Topology } from '../../core/model/index.js';
import { DEFAULT_TLS_PORT } from '../../core/model/kinds/tls.js';
import { nodeTls } from '../../core/model/tls-hosts.js';

/**
 * Why a request to `to` (through `via`) cannot go over HTTPS, or undefined when it can: the
 * lab sends HTTPS only to a node of the design with an active `tls` block, by its id, and
 * never through a forward proxy (it does not send CONNECT).
 */
export function httpsUnavailable(doc: Topology, to: string, via: string): string | undefined {
  if (via) return 'HTTPS through a forward proxy is not sent by the lab (it does not send CONNECT): choose "(direct)".';
  const node = doc.nodes.find((n) => n.id === to);
  if (node === undefined) return `${to || 'This target'} is a DNS name: HTTPS goes to a node with a tls block, chosen by its id.`;
  if (nodeTls(node) === undefined) return `${to} serves no HTTPS: it has no tls block (or tls.enabled is false). See docs/tls.md.`;
  return undefined;
}

/** The designed HTTPS port of node `to` (what a trace of an HTTPS request checks), when it serves HTTPS. */
export function httpsPort(doc: Topology, to: string): number | undefined {
  const node = doc.nodes.find((n) => n.id === to);
  const tls = node === undefined ? undefined : nodeTls(node);
  return tls === undefined ? undefined : (tls.port ?? DEFAULT_TLS_PORT);
}
