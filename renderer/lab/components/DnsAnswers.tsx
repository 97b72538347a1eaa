import { memo } from 'react';
import { useLab } from '../context.js';
import { dnsAnswerCount } from '../state.js';

/** How often the lab's DNS has answered the node on a zone's dashed link (over the zone's records); nothing while no lab DNS reports. */
export const LabDnsAnswers = memo(function LabDnsAnswers({ id, dns, labelX, labelY }: { id: string; dns: { zoneId: string; answers: { recordSet: string; data: string }[] }; labelX: number; labelY: number }) {
  const count = useLab((s) => {
    let total: number | undefined;
    for (const a of dns.answers) {
      const n = dnsAnswerCount(s, dns.zoneId, a.recordSet, a.data);
      if (n !== undefined) total = (total ?? 0) + n;
    }
    return total;
  });
  if (count === undefined) return null;
  return (
    <text x={labelX} y={labelY - 8} className="lab-dns-answers" textAnchor="middle" data-testid={`lab-dns-${id}`} data-count={count}>
      {count} answer{count === 1 ? '' : 's'}
    </text>
  );
});
