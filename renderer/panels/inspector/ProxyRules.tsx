import type { ProxyRule, ReverseProxyNode, Topology } from '../../../core/model/index.js';
import type { Patch } from '../../kinds/types.js';
import { useServices } from '../../lib/context.js';
import { KeyValueField, Section, TextField } from '../fields.js';

/** A reverse proxy's routing rules: host, path prefix, upstreams, header and prefix rewrites. */
export function ProxyRules({ doc, node, patch }: { doc: Topology; node: ReverseProxyNode; patch: Patch<ReverseProxyNode> }) {
  const { editor } = useServices();
  const seal = () => editor.seal();
  const rules = node.rules ?? [];
  const ids = new Set(doc.nodes.map((n) => n.id));
  const setRule = <F extends keyof ProxyRule>(i: number, field: F, value: ProxyRule[F] | undefined) => {
    const next = rules.map((r, j): ProxyRule => {
      if (j !== i) return r;
      const copy = { ...r, [field]: value };
      if (value === undefined) delete copy[field];
      return copy;
    });
    patch('rules', next);
  };
  return (
    <Section title="Routing rules" testId="section-rules">
      {rules.length === 0 ? <p className="muted">No rules: every request goes to the upstreams above.</p> : null}
      {rules.map((rule, i) => (
        <div key={i} className="rule-card" data-testid={`rule-${i}`}>
          <div className="field-row">
            <TextField label="Host" testId={`rule-${i}-host`} value={rule.host ?? ''} placeholder="any" onChange={(v) => setRule(i, 'host', v === '' ? undefined : v)} onBlur={seal} />
            <TextField label="Path prefix" testId={`rule-${i}-path`} value={rule.pathPrefix ?? ''} placeholder="/" onChange={(v) => v === '' || v.startsWith('/') ? setRule(i, 'pathPrefix', v === '' ? undefined : v) : undefined} validate={(v) => (v === '' || v.startsWith('/') ? null : 'starts with /')} onBlur={seal} />
          </div>
          <TextField
            label="Upstreams (ids, comma-separated)"
            testId={`rule-${i}-upstreams`}
            value={rule.upstreams.join(', ')}
            validate={(v) => {
              const list = v.split(',').map((s) => s.trim()).filter(Boolean);
              if (list.length === 0) return 'at least one upstream';
              const unknown = list.find((s) => !ids.has(s));
              return unknown ? `"${unknown}" is not a node of this design` : null;
            }}
            onChange={(v) => {
              const list = v.split(',').map((s) => s.trim()).filter(Boolean);
              if (list.length > 0 && list.every((s) => ids.has(s))) setRule(i, 'upstreams', list);
            }}
            onBlur={seal}
          />
          <KeyValueField label="Request headers" testId={`rule-${i}-request-headers`} value={rule.requestHeaders} onChange={(v) => setRule(i, 'requestHeaders', v)} onBlur={seal} />
          <KeyValueField label="Response headers" testId={`rule-${i}-response-headers`} value={rule.responseHeaders} onChange={(v) => setRule(i, 'responseHeaders', v)} onBlur={seal} />
          <TextField label="Rewrite prefix" testId={`rule-${i}-rewrite`} value={rule.rewritePrefix ?? ''} placeholder="keep the path" onChange={(v) => v === '' || v.startsWith('/') ? setRule(i, 'rewritePrefix', v === '' ? undefined : v) : undefined} validate={(v) => (v === '' || v.startsWith('/') ? null : 'starts with /')} onBlur={seal} />
          <button type="button" className="button small danger" onClick={() => patch('rules', rules.length > 1 ? rules.filter((_, j) => j !== i) : undefined)}>
            Remove rule
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button small"
        data-testid="rule-add"
        onClick={() => {
          const first = doc.edges.find((e) => e.from === node.id)?.to ?? doc.nodes.find((n) => n.kind === 'server')?.id;
          if (!first) {
            editor.toast('error', 'Add a server or connect an upstream first: a rule needs an upstream');
            return;
          }
          patch('rules', [...rules, { pathPrefix: '/', upstreams: [first] }]);
        }}
      >
        + Add rule
      </button>
    </Section>
  );
}
