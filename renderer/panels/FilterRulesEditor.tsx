import { useState } from 'react';
import { safeParseCidr } from '../../core/cidr/index.js';
import { isCidrPeer, safeParsePorts, type FilterProtocol, type NaclRule, type SgInboundRule, type SgOutboundRule, type Topology } from '../../core/model/index.js';
import { setFilterRules } from '../actions/security-groups.js';
import { useEditor } from '../lib/context.js';
import { aclRuleHints, nextRuleNumber, sgRuleHints } from '../lib/filter-hints.js';

type Direction = 'inbound' | 'outbound';
type SgRule = SgInboundRule | SgOutboundRule;

const PROTOCOLS: FilterProtocol[] = ['tcp', 'udp', 'icmp', 'all'];

/** Why a rule's ports text is wrong for its protocol, or null. */
function portsError(protocol: FilterProtocol, ports: string | undefined): string | null {
  if (protocol === 'icmp' || protocol === 'all') return null;
  if (ports === undefined || ports === '') return 'ports needed: 443 or 1024-65535';
  const parsed = safeParsePorts(ports);
  return parsed.ok ? null : parsed.problem;
}

/** Why a CIDR text is wrong, or null. */
function cidrError(text: string): string | null {
  if (text === '') return 'required';
  const parsed = safeParseCidr(text);
  return parsed.ok ? null : parsed.problem.message;
}

/** The same rule with another protocol: ports kept for tcp/udp, dropped for icmp/all (which refuse them). */
function withProtocol<R extends { protocol: FilterProtocol; ports?: string }>(rule: R, protocol: FilterProtocol): R {
  const { ports, ...rest } = rule;
  if (protocol === 'icmp' || protocol === 'all') return { ...rest, protocol } as R;
  return { ...rest, protocol, ports: ports ?? (protocol === 'tcp' ? '443' : '53') } as R;
}

/** Rule lists edited locally and committed whole (one undo step per field being typed in). */
function useRules<R>(nodeId: string, direction: Direction, rules: R[]): [R[], (next: R[], field: string) => void] {
  const editor = useEditor();
  const [rows, setRows] = useState<R[]>(rules);
  const [source, setSource] = useState(rules);
  if (source !== rules) {
    setSource(rules);
    setRows(rules);
  }
  const commit = (next: R[], field: string): void => {
    setRows(next);
    editor.apply(`Edit ${direction} rules of ${nodeId}`, (d) => setFilterRules(d, { nodeId, direction, rules: next as (SgRule | NaclRule)[] }), { coalesce: `${nodeId}.${direction}.${field}` });
  };
  return [rows, commit];
}

function Hints({ texts, testId }: { texts: readonly string[] | undefined; testId: string }) {
  if (!texts || texts.length === 0) return null;
  return (
    <div className="rule-hints" data-testid={testId}>
      {texts.map((t) => (
        <div key={t} className="rule-hint">
          {t}
        </div>
      ))}
    </div>
  );
}

/**
 * A security group's rules of one direction: protocol, ports, the peer (a CIDR, or a group
 * of the VPC picked from the list) and a description. Allow rules only, so order does not
 * matter; a rule another rule already covers is pointed out.
 */
export function SecurityGroupRulesEditor({ doc, groupId, direction, rules }: { doc: Topology; groupId: string; direction: Direction; rules: SgRule[] }) {
  const editor = useEditor();
  const [rows, commit] = useRules<SgRule>(groupId, direction, rules);
  const peerKey = direction === 'inbound' ? 'source' : 'destination';
  const group = doc.nodes.find((n) => n.id === groupId);
  const groups = doc.nodes.filter((n) => n.kind === 'security-group' && n.parent === group?.parent);
  const hints = sgRuleHints(rows);
  const prefix = `sg-${direction}`;
  const set = (i: number, change: (rule: SgRule) => SgRule, field: string) => commit(rows.map((r, j) => (j === i ? change(r) : r)), `${i}.${field}`);
  return (
    <div className="rule-editor" data-testid={`${prefix}-rules`}>
      {rows.length === 0 ? <p className="muted small">{direction === 'inbound' ? 'No inbound rule: nothing comes in.' : 'No outbound rule: nothing goes out.'}</p> : null}
      {rows.map((rule, i) => {
        const peer = peerKey === 'source' ? (rule as SgInboundRule).source : (rule as SgOutboundRule).destination;
        const peerError = isCidrPeer(peer) ? cidrError(peer) : peer === '' ? 'a CIDR or a security group' : groups.some((g) => g.id === peer) ? null : `no security group "${peer}" in this VPC`;
        const error = portsError(rule.protocol, rule.ports) ?? peerError;
        return (
          <div className="rule-row" key={i} data-testid={`${prefix}-row-${i}`}>
            <div className="rule-line">
              <select aria-label="Protocol" data-testid={`${prefix}-protocol-${i}`} value={rule.protocol} onChange={(e) => set(i, (r) => withProtocol(r, e.target.value as FilterProtocol), 'protocol')}>
                {PROTOCOLS.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
              <input
                aria-label="Ports"
                className="rule-ports"
                data-testid={`${prefix}-ports-${i}`}
                value={rule.ports ?? ''}
                disabled={rule.protocol === 'icmp' || rule.protocol === 'all'}
                placeholder={rule.protocol === 'icmp' || rule.protocol === 'all' ? 'all' : '443'}
                onChange={(e) => set(i, (r) => ({ ...r, ports: e.target.value.trim() }), 'ports')}
                onBlur={() => editor.seal()}
              />
              <input
                aria-label={peerKey === 'source' ? 'Source' : 'Destination'}
                className="rule-peer"
                data-testid={`${prefix}-peer-${i}`}
                list={`${prefix}-peers-${groupId}`}
                value={peer}
                placeholder="0.0.0.0/0 or a group"
                spellCheck={false}
                onChange={(e) => set(i, (r) => ({ ...r, [peerKey]: e.target.value.trim() }) as SgRule, 'peer')}
                onBlur={() => editor.seal()}
              />
              <button type="button" className="icon-button" aria-label={`Remove rule ${i + 1}`} data-testid={`${prefix}-remove-${i}`} onClick={() => commit(rows.filter((_, j) => j !== i), `remove-${i}-${Date.now()}`)}>
                ×
              </button>
            </div>
            <input
              aria-label="Description"
              className="rule-description"
              data-testid={`${prefix}-description-${i}`}
              value={rule.description ?? ''}
              placeholder="description"
              onChange={(e) => set(i, (r) => (e.target.value === '' ? omitDescription(r) : { ...r, description: e.target.value }), 'description')}
              onBlur={() => editor.seal()}
            />
            {error ? (
              <div className="field-error" data-testid={`${prefix}-error-${i}`}>
                {error}
              </div>
            ) : null}
            <Hints texts={hints.get(i)} testId={`${prefix}-hint-${i}`} />
          </div>
        );
      })}
      <datalist id={`${prefix}-peers-${groupId}`}>
        <option value="0.0.0.0/0">anywhere (IPv4)</option>
        <option value="::/0">anywhere (IPv6)</option>
        {groups.map((g) => (
          <option key={g.id} value={g.id}>
            security group {g.name ?? g.id}
          </option>
        ))}
      </datalist>
      <button
        type="button"
        className="button small"
        data-testid={`${prefix}-add`}
        onClick={() => commit([...rows, (direction === 'inbound' ? { protocol: 'tcp', ports: '443', source: '0.0.0.0/0' } : { protocol: 'tcp', ports: '443', destination: '0.0.0.0/0' }) as SgRule], `add-${rows.length}-${Date.now()}`)}
      >
        + Add {direction} rule
      </button>
    </div>
  );
}

function omitDescription<R extends { description?: string }>(rule: R): R {
  const { description: _gone, ...rest } = rule;
  return rest as R;
}

/**
 * A network ACL's rules of one direction, in evaluation order (lowest number first): the
 * number (editing it moves the row; ↑ ↓ swap numbers with the neighbour), allow or deny,
 * protocol, ports and the CIDR. Hints point out a number used twice, a rule an earlier one
 * shadows, and an overlap with an earlier rule of the other action.
 */
export function NetworkAclRulesEditor({ aclId, direction, rules }: { aclId: string; direction: Direction; rules: NaclRule[] }) {
  const editor = useEditor();
  const [rows, commit] = useRules<NaclRule>(aclId, direction, rules);
  const hints = aclRuleHints(rows);
  const prefix = `acl-${direction}`;
  // Shown in evaluation order; each row keeps its index in the list for edits and test ids.
  const order = rows.map((rule, i) => ({ rule, i })).sort((a, b) => a.rule.rule - b.rule.rule || a.i - b.i);
  const set = (i: number, change: (rule: NaclRule) => NaclRule, field: string) => commit(rows.map((r, j) => (j === i ? change(r) : r)), `${i}.${field}`);
  const swap = (a: number, b: number) => {
    const ra = rows[a] as NaclRule;
    const rb = rows[b] as NaclRule;
    commit(rows.map((r, j) => (j === a ? { ...r, rule: rb.rule } : j === b ? { ...r, rule: ra.rule } : r)), `swap-${a}-${b}-${Date.now()}`);
  };
  return (
    <div className="rule-editor" data-testid={`${prefix}-rules`}>
      {order.map(({ rule, i }, position) => {
        const error = (Number.isInteger(rule.rule) && rule.rule >= 1 && rule.rule <= 32766 ? null : 'rule numbers run from 1 to 32766') ?? portsError(rule.protocol, rule.ports) ?? cidrError(rule.cidr);
        const above = order[position - 1];
        const below = order[position + 1];
        return (
          <div className={`rule-row action-${rule.action}`} key={i} data-testid={`${prefix}-row-${i}`} data-position={position} data-rule={rule.rule}>
            <div className="rule-line">
              <NumberInput testId={`${prefix}-number-${i}`} value={rule.rule} onChange={(n) => set(i, (r) => ({ ...r, rule: n }), 'rule')} onBlur={() => editor.seal()} />
              <select aria-label="Action" data-testid={`${prefix}-action-${i}`} value={rule.action} onChange={(e) => set(i, (r) => ({ ...r, action: e.target.value as NaclRule['action'] }), 'action')}>
                <option value="allow">allow</option>
                <option value="deny">deny</option>
              </select>
              <select aria-label="Protocol" data-testid={`${prefix}-protocol-${i}`} value={rule.protocol} onChange={(e) => set(i, (r) => withProtocol(r, e.target.value as FilterProtocol), 'protocol')}>
                {PROTOCOLS.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
              <input
                aria-label="Ports"
                className="rule-ports"
                data-testid={`${prefix}-ports-${i}`}
                value={rule.ports ?? ''}
                disabled={rule.protocol === 'icmp' || rule.protocol === 'all'}
                placeholder={rule.protocol === 'icmp' || rule.protocol === 'all' ? 'all' : '443'}
                onChange={(e) => set(i, (r) => ({ ...r, ports: e.target.value.trim() }), 'ports')}
                onBlur={() => editor.seal()}
              />
            </div>
            <div className="rule-line">
              <input
                aria-label="CIDR"
                className="rule-peer"
                data-testid={`${prefix}-cidr-${i}`}
                value={rule.cidr}
                placeholder="0.0.0.0/0"
                spellCheck={false}
                onChange={(e) => set(i, (r) => ({ ...r, cidr: e.target.value.trim() }), 'cidr')}
                onBlur={() => editor.seal()}
              />
              <button type="button" className="icon-button" aria-label={`Move rule ${rule.rule} up`} data-testid={`${prefix}-up-${i}`} disabled={!above} onClick={() => above && swap(i, above.i)}>
                ↑
              </button>
              <button type="button" className="icon-button" aria-label={`Move rule ${rule.rule} down`} data-testid={`${prefix}-down-${i}`} disabled={!below} onClick={() => below && swap(i, below.i)}>
                ↓
              </button>
              <button type="button" className="icon-button" aria-label={`Remove rule ${rule.rule}`} data-testid={`${prefix}-remove-${i}`} onClick={() => commit(rows.filter((_, j) => j !== i), `remove-${i}-${Date.now()}`)}>
                ×
              </button>
            </div>
            {error ? (
              <div className="field-error" data-testid={`${prefix}-error-${i}`}>
                {error}
              </div>
            ) : null}
            <Hints texts={hints.get(i)} testId={`${prefix}-hint-${i}`} />
          </div>
        );
      })}
      <div className="rule-row implicit" data-testid={`${prefix}-final-deny`}>
        <span className="muted small">* deny everything no rule allows</span>
      </div>
      <button
        type="button"
        className="button small"
        data-testid={`${prefix}-add`}
        onClick={() => commit([...rows, { rule: nextRuleNumber(rows), action: 'allow', protocol: 'tcp', ports: direction === 'inbound' ? '443' : '1024-65535', cidr: '0.0.0.0/0' }], `add-${rows.length}-${Date.now()}`)}
      >
        + Add {direction} rule
      </button>
    </div>
  );
}

/**
 * A rule number typed freely and committed on Enter or when the field is left (so the row
 * moves to its place once, not at every keystroke); text that is not a whole number is
 * dropped, back to the rule's number.
 */
function NumberInput({ testId, value, onChange, onBlur }: { testId: string; value: number; onChange: (value: number) => void; onBlur: () => void }) {
  const [draft, setDraft] = useState(String(value));
  const [last, setLast] = useState(value);
  if (value !== last) {
    setLast(value);
    setDraft(String(value));
  }
  const commit = (): void => {
    if (/^\d{1,5}$/.test(draft) && Number(draft) !== value) onChange(Number(draft));
    else setDraft(String(value));
  };
  return (
    <input
      aria-label="Rule number"
      className="rule-number"
      data-testid={testId}
      inputMode="numeric"
      value={draft}
      onChange={(e) => setDraft(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
      onBlur={() => {
        commit();
        onBlur();
      }}
    />
  );
}
