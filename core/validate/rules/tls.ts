import { domainNameProblem } from '../../model/dns-names.js';
import { forwardingTargets } from '../../model/forwarding.js';
import { activeTls, KIND_LABELS, KIND_TRAITS, KINDS, tlsPort, type TlsSettings } from '../../model/kinds/index.js';
import type { TopologyNode } from '../../model/types.js';
import { kindWord, labelOf, type Report, type ValidationRule } from './rule.js';
import type { ValidationContext } from '../context.js';

type TlsNode = TopologyNode & { tls?: TlsSettings | undefined; port?: number | undefined };

/** Whether every kind that may carry a `tls` block is addressable (in `context.addressable`). */
const TLS_KINDS_ADDRESSABLE = Object.values(KINDS).every((descriptor) => !descriptor.traits.tls || descriptor.traits.addressable);

/**
 * The `tls` block (core/model/kinds/tls.ts), all errors, since the lab and the exports would
 * otherwise serve something other than the design: `tls-unsupported` on a layer-4 balancer
 * (it pipes TCP, it sees no HTTP to terminate); `tls-redirect-without-https` a redirect or
 * HSTS with `enabled: false` (nothing to send the client to); `tls-port-clash` the HTTPS
 * port equal to the plain one; `tls-host-invalid` a host name no certificate can carry;
 * `tls-upstream-plain` TLS to an upstream that serves no HTTPS.
 */
export const tlsRule: ValidationRule = {
  name: 'tls',
  codes: ['tls-unsupported', 'tls-redirect-without-https', 'tls-port-clash', 'tls-host-invalid', 'tls-upstream-plain'],
  check(context, report) {
    // Every kind with a `tls` block is addressable today: walk the context's addressable nodes
    // (file order, a tenth of a big plan) rather than all 100,000 nodes, in an indexed loop
    // (`for...of` allocates per step where this runs unoptimized, once per validation).
    const nodes = TLS_KINDS_ADDRESSABLE ? context.addressable : context.index.topology.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (!KIND_TRAITS[node.kind].tls) continue;
      const tls = (node as TlsNode).tls;
      if (tls !== undefined) checkNode(context, node as TlsNode, tls, report);
    }
  },
};

function checkNode(context: ValidationContext, node: TlsNode, tls: TlsSettings, report: Report): void {
  const { index } = context;
  const label = `${KIND_LABELS[node.kind]} ${labelOf(node)}`;
  if (node.kind === 'load-balancer' && node.layer === 4) {
    report({
      code: 'tls-unsupported',
      severity: 'error',
      message: `${label} works at layer 4 (it pipes TCP connections) and cannot terminate TLS: make it layer 7 or remove its "tls" block`,
      nodeIds: [node.id],
      path: index.pathOf(node.id, 'tls'),
    });
    return;
  }
  if (tls.enabled === false) {
    const field = tls.redirect !== undefined ? 'redirect' : tls.hsts !== undefined ? 'hsts' : undefined;
    if (field !== undefined) {
      report({
        code: 'tls-redirect-without-https',
        severity: 'error',
        message: `${label} sets tls.${field} but its HTTPS listener is off (tls.enabled is false): there is no https:// to send clients to; turn TLS on or remove tls.${field}`,
        nodeIds: [node.id],
        path: index.pathOf(node.id, 'tls', field),
      });
    }
  }
  const plain = node.port ?? KINDS[node.kind].defaultPort ?? 80;
  if (tls.enabled !== false && tlsPort(tls) === plain) {
    report({
      code: 'tls-port-clash',
      severity: 'error',
      message: `${label} would listen for HTTPS and plain HTTP on the same port ${plain}: give tls.port another port (443 is the usual one)`,
      nodeIds: [node.id],
      path: index.pathOf(node.id, tls.port !== undefined ? 'tls' : 'port', ...(tls.port !== undefined ? ['port'] : [])),
    });
  }
  tls.hosts?.forEach((host, i) => {
    const problem = domainNameProblem(host, true);
    if (problem === undefined) return;
    report({
      code: 'tls-host-invalid',
      severity: 'error',
      message: `${label} asks for a certificate for "${host}", which is not a host name: ${problem}`,
      nodeIds: [node.id],
      path: index.pathOf(node.id, 'tls', 'hosts', i),
    });
  });
  if (tls.upstream === true) {
    for (const id of forwardingTargets(index, node)) {
      const target = index.node(id) as TlsNode | undefined;
      // A layer-4 balancer pipes TCP: whatever its block says, it has no TLS listener of its own.
      const servesHttps = target !== undefined && activeTls(target) !== undefined && !(target.kind === 'load-balancer' && target.layer === 4);
      if (target === undefined || servesHttps) continue;
      report({
        code: 'tls-upstream-plain',
        severity: 'error',
        message: `${label} connects to its upstreams over TLS (tls.upstream), but ${kindWord(target.kind)} ${labelOf(target)} serves no HTTPS, so every request sent to it would fail (502): give it a "tls" block or set tls.upstream to false`,
        nodeIds: [node.id, id],
        path: index.pathOf(node.id, 'tls', 'upstream'),
      });
    }
  }
}
