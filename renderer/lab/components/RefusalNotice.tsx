import type { ApiRefusal } from '../../../core/api/contract/index.js';

/**
 * The running lab refused traffic as the design does: who could not reach whom, the node
 * that blocks it (a route table, gateway, subnet, security groups, an ACL), trace's code and
 * reason. Not sent: the first leg (a request, or a whole load run); sent: a node of the lab
 * answered 502 for its leg. The Request and Traffic tabs show it alike (`testIdPrefix`).
 */
export function RefusalNotice({ refusal, sent, testIdPrefix }: { refusal: ApiRefusal; sent: boolean; testIdPrefix: 'request' | 'traffic' }) {
  return (
    <div className="lab-refusal" role="status" data-testid={`${testIdPrefix}-refused`} data-sent={String(sent)} data-blocked-by={refusal.blockedBy} data-code={refusal.code}>
      <p>
        <b>Refused by the design</b>: {refusal.from} cannot reach {refusal.to}, blocked at <b data-testid={`${testIdPrefix}-refused-by`}>{refusal.blockedBy}</b> (<code>{refusal.code}</code>).
      </p>
      <p data-testid={`${testIdPrefix}-refused-reason`}>{refusal.reason}</p>
      <p className="muted">
        {sent
          ? `The 502 below is this refusal (${refusal.from} may not open that connection), not a server failing.`
          : 'Nothing was sent: the lab as it runs now (its faults and live edits included) does not carry this flow, as the network would drop it.'}
      </p>
    </div>
  );
}
