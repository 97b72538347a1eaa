import { cidrInfo, providerProfile, safeParseCidr, safeParseIp } from '../../core/cidr/index.js';
import type { Provider } from '../../core/model/index.js';
import { TextField } from './fields.js';

/** Live facts about a CIDR as it is typed: range, size, usable hosts, class, address space. */
export function CidrInfoCard({ text, provider, testId }: { text: string; provider: Provider; testId: string }) {
  if (text.trim() === '') return null;
  const result = cidrInfo(text.trim(), provider);
  if (!result.ok) return null;
  const info = result.info;
  return (
    <dl className="cidr-info" data-testid={`cidr-info-${testId}`}>
      <dt>Range</dt>
      <dd data-testid="cidr-range">
        {info.first} – {info.last}
      </dd>
      <dt>Size</dt>
      <dd data-testid="cidr-size">{Number(info.size).toLocaleString('en')} addresses</dd>
      <dt>Usable</dt>
      <dd data-testid="cidr-usable">
        {Number(info.usableHosts).toLocaleString('en')} hosts{info.firstUsable ? ` (${info.firstUsable} – ${info.lastUsable})` : ''}
      </dd>
      {info.netmask ? (
        <>
          <dt>Netmask</dt>
          <dd>{info.netmask}</dd>
        </>
      ) : null}
      {info.class ? (
        <>
          <dt>Class</dt>
          <dd data-testid="cidr-class">{info.class}</dd>
        </>
      ) : null}
      <dt>Space</dt>
      <dd data-testid="cidr-space">
        <span className={`space-tag space-${info.range}`}>{info.range}</span> {info.rangeName}
      </dd>
    </dl>
  );
}

/**
 * A CIDR field: the strict parse's problem shows inline as you type (with its fix, e.g.
 * "10.0.1.5/24 has host bits set" -> use 10.0.1.0/24), and the live info card below.
 */
export function CidrField({
  label,
  testId,
  value,
  provider,
  onChange,
  onBlur,
  extraError,
}: {
  label: string;
  testId: string;
  value: string;
  provider: Provider;
  onChange: (value: string) => void;
  onBlur?: () => void;
  /** A problem the validator found with this field (overlap, outside the VPC, ...). */
  extraError?: string | null;
}) {
  return (
    <TextField
      label={label}
      testId={testId}
      value={value}
      placeholder="10.0.0.0/16"
      onChange={(v) => onChange(v.trim())}
      {...(onBlur ? { onBlur } : {})}
      validate={(text) => {
        if (text.trim() === '') return 'a CIDR block is required, e.g. 10.0.0.0/16';
        const parsed = safeParseCidr(text.trim());
        if (!parsed.ok) return parsed.problem.message;
        return extraError ?? null;
      }}
      after={(draft) => {
        const parsed = draft.trim() === '' ? null : safeParseCidr(draft.trim());
        return (
          <>
            {parsed && !parsed.ok && parsed.problem.fix ? (
              <button type="button" className="button small fix-button" data-testid={`fix-${testId}`} onClick={() => onChange(parsed.problem.fix as string)}>
                Use {parsed.problem.fix}
              </button>
            ) : null}
            <CidrInfoCard text={draft} provider={provider} testId={testId} />
          </>
        );
      }}
    />
  );
}

/** Checks a designed address against its subnet: syntax, inside the block, not reserved. */
export function ipProblem(text: string, subnetCidr: string | undefined, provider: Provider): string | null {
  if (text.trim() === '') return null;
  const ip = safeParseIp(text.trim());
  if (!ip) return `"${text}" is not an IPv4 or IPv6 address`;
  if (!subnetCidr) return null;
  const block = safeParseCidr(subnetCidr);
  if (!block.ok) return null;
  const b = block.block;
  if (b.version !== ip.version || ip.value < b.first || ip.value > b.last) return `${text} is outside its subnet ${subnetCidr}`;
  const reserved = providerProfile(provider)
    .reserved(b)
    .find((r) => r.value === ip.value);
  if (reserved) return `${text} is reserved: ${reserved.reason}`;
  return null;
}
