import type { Topology } from '../../../core/model/index.js';
import { DEFAULT_TLS_PORT } from '../../../core/model/kinds/tls.js';
import { nodeTls } from '../../../core/model/tls-hosts.js';

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

/**
 * The HTTPS checkbox of the traffic and request forms: off and disabled, with the reason as
 * its tooltip (the title is also the checkbox's accessible description), for a target without HTTPS. `${testIdPrefix}-https`.
 */
export function HttpsToggle(props: { testIdPrefix: string; checked: boolean; unavailable: string | undefined; onChange: (checked: boolean) => void }): React.JSX.Element {
  const { testIdPrefix, unavailable } = props;
  const title = unavailable ?? "Send over HTTPS to the node's TLS listener, trusting the project's certificate authority for this run only.";
  return (
    <label className="lab-check" title={title} data-testid={`${testIdPrefix}-https-label`}>
      <input
        type="checkbox"
        data-testid={`${testIdPrefix}-https`}
        checked={props.checked && unavailable === undefined}
        disabled={unavailable !== undefined}
        title={title}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      HTTPS
    </label>
  );
}
