import { useMemo } from 'react';
import { KIND_LABELS, type NodeKind, type NodeOfKind, type Provider, type Topology, type TopologyNode } from '../../core/model/index.js';
import type { Diagnostic } from '../../core/validate/index.js';
import { reparentNode, updateDocument, updateNode, type NodePatch } from '../actions/edit.js';
import { checkParent } from '../actions/parents.js';
import { KindIcon } from '../canvas/icons.js';
import { rendererKindOf, type Patch } from '../kinds/index.js';
import { useServices } from '../lib/context.js';
import { useCommandRunner } from '../lib/useCommands.js';
import { useStore } from '../store/useStore.js';
import { KeyValueField, Section, SelectField, TextField } from './fields.js';

const PROVIDERS: { value: Provider; label: string }[] = [
  { value: 'aws', label: 'AWS' },
  { value: 'azure', label: 'Azure' },
  { value: 'gcp', label: 'Google Cloud' },
  { value: 'generic', label: 'Generic (no reservations)' },
];

/** The inspector: the selected node's every property, or the design's when nothing is selected. */
export function Inspector() {
  const { editor, diagnostics } = useServices();
  const doc = useStore(editor.store, (s) => s.history.present.doc);
  const selection = useStore(editor.store, (s) => s.selection);
  const all = useStore(diagnostics.store, (s) => s.diagnostics);
  const node = selection.length === 1 ? doc.nodes.find((n) => n.id === selection[0]) : undefined;
  const nodeDiagnostics = useMemo(() => (node ? all.filter((d) => d.nodeIds.includes(node.id)) : []), [all, node]);
  if (selection.length > 1) return <MultiInspector count={selection.length} />;
  if (!node) return <DocumentInspector doc={doc} />;
  // One typed edit per field; each is schema-checked (updateNode) before it enters history.
  const patch: Patch<TopologyNode> = (field, value) =>
    editor.apply(`Edit ${node.id} ${field}`, (d) => updateNode(d, { id: node.id, patch: { [field]: value } as NodePatch }), { coalesce: `${node.id}.${field}` });
  return (
    <div className="inspector" data-testid="inspector" data-node={node.id}>
      <header className="inspector-title">
        <span className={`kind-chip kind-${node.kind}`}>
          <KindIcon kind={node.kind} size={18} />
        </span>
        <div>
          <div className="inspector-kind">{KIND_LABELS[node.kind]}</div>
          <div className="inspector-id" data-testid="inspector-id">
            {node.id}
          </div>
        </div>
      </header>
      <Section title="General">
        <TextField label="Name" testId="name" value={node.name ?? ''} placeholder={node.id} onChange={(v) => patch('name', v === '' && node.kind !== 'dns-zone' ? undefined : v)} onBlur={() => editor.seal()} />
        <TextField label="Description" testId="description" multiline value={node.description ?? ''} onChange={(v) => patch('description', v === '' ? undefined : v)} onBlur={() => editor.seal()} />
        <KeyValueField label="Tags" testId="tags" value={node.tags} onChange={(v) => patch('tags', v)} onBlur={() => editor.seal()} hint="One per line: key: value (exported as tags/labels)." />
        <ParentField doc={doc} nodeId={node.id} />
      </Section>
      <KindSection doc={doc} node={node} patch={patch} diagnostics={nodeDiagnostics} />
      {nodeDiagnostics.length > 0 ? (
        <Section title="Problems" testId="inspector-problems">
          <ul className="inspector-problems">
            {nodeDiagnostics.map((d, i) => (
              <li key={i} className={`sev-${d.severity}`} data-code={d.code}>
                <span className={`sev-dot sev-${d.severity}`} /> {d.message}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </div>
  );
}

function MultiInspector({ count }: { count: number }) {
  const run = useCommandRunner();
  return (
    <div className="inspector" data-testid="inspector-multi">
      <header className="inspector-title">
        <div>
          <div className="inspector-kind">{count} nodes selected</div>
        </div>
      </header>
      <Section title="Align">
        <div className="button-grid">
          {(['left', 'center', 'right', 'top', 'middle', 'bottom', 'distribute-h', 'distribute-v'] as const).map((a) => (
            <button key={a} type="button" className="button small" data-testid={`align-${a}`} onClick={() => run(`arrange.align-${a}`)}>
              {a.replace('distribute-h', 'spread ↔').replace('distribute-v', 'spread ↕')}
            </button>
          ))}
        </div>
      </Section>
      <Section title="Edit">
        <div className="button-row">
          <button type="button" className="button small" onClick={() => run('edit.duplicate')}>
            Duplicate
          </button>
          <button type="button" className="button small danger" onClick={() => run('edit.delete')}>
            Delete
          </button>
        </div>
      </Section>
    </div>
  );
}

function DocumentInspector({ doc }: { doc: Topology }) {
  const { editor } = useServices();
  const counts = useMemo(() => {
    const out = new Map<string, number>();
    for (const n of doc.nodes) out.set(n.kind, (out.get(n.kind) ?? 0) + 1);
    return [...out.entries()];
  }, [doc.nodes]);
  const edit = (patch: Partial<Pick<Topology, 'name' | 'description' | 'provider'>>, field: string) =>
    editor.apply(`Edit design ${field}`, (d) => updateDocument(d, patch), { coalesce: `doc.${field}` });
  return (
    <div className="inspector" data-testid="inspector-document">
      <header className="inspector-title">
        <div>
          <div className="inspector-kind">Design</div>
          <div className="inspector-id">Select a node to edit it</div>
        </div>
      </header>
      <Section title="General">
        <TextField label="Name" testId="doc-name" value={doc.name} onChange={(v) => edit({ name: v }, 'name')} onBlur={() => editor.seal()} />
        <TextField label="Description" testId="doc-description" multiline value={doc.description ?? ''} onChange={(v) => edit({ description: v === '' ? undefined : v }, 'description')} onBlur={() => editor.seal()} />
        <SelectField label="Cloud rules" testId="doc-provider" value={doc.provider} options={PROVIDERS} onChange={(provider) => edit({ provider }, 'provider')} hint="Allowed sizes and reserved addresses follow the provider." />
      </Section>
      <Section title="Contents">
        {counts.length === 0 ? (
          <p className="muted">Empty: drag a VPC from the palette to begin.</p>
        ) : (
          <ul className="count-list">
            {counts.map(([kind, n]) => (
              <li key={kind}>
                <KindIcon kind={kind as TopologyNode['kind']} size={16} /> {KIND_LABELS[kind as TopologyNode['kind']]} <span className="muted">× {n}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}

/** Where the node sits: a picker of the containers its kind may live in (the keyboard's way to move it). */
function ParentField({ doc, nodeId }: { doc: Topology; nodeId: string }) {
  const { editor } = useServices();
  const node = doc.nodes.find((n) => n.id === nodeId);
  if (!node) return null;
  const options = doc.nodes.filter((c) => c.id !== node.id && checkParent(node.kind, c.kind).ok);
  const topLevel = checkParent(node.kind, null).ok;
  if (options.length === 0 && !topLevel) return null;
  return (
    <div className="field" data-testid="field-parent">
      <label htmlFor="inspector-parent">Inside</label>
      <div className="field-row">
        <select
          id="inspector-parent"
          data-testid="input-parent"
          value={node.parent ?? ''}
          onChange={(e) => editor.apply(`Move ${node.id}`, (d) => reparentNode(d, { id: node.id, parent: e.target.value === '' ? null : e.target.value }))}
        >
          {topLevel || node.parent === undefined ? <option value="">{topLevel ? 'the open canvas' : '—'}</option> : null}
          {options.map((c) => (
            <option key={c.id} value={c.id}>
              {KIND_LABELS[c.kind]} {c.name ?? c.id}
              {'cidr' in c ? ` (${c.cidr})` : ''}
            </option>
          ))}
        </select>
        {node.parent !== undefined ? (
          <button type="button" className="button small" data-testid="inspector-parent" onClick={() => editor.focusOn([node.parent as string])}>
            Show
          </button>
        ) : null}
      </div>
    </div>
  );
}

/** The inspector section of the node's kind (renderer/kinds/<kind>.tsx). */
function KindSection({ doc, node, patch, diagnostics }: { doc: Topology; node: TopologyNode; patch: Patch<TopologyNode>; diagnostics: readonly Diagnostic[] }) {
  const { Inspector: Section } = rendererKindOf(node.kind);
  return <Section doc={doc} node={node as NodeOfKind<NodeKind>} patch={patch as Patch<NodeOfKind<NodeKind>>} diagnostics={diagnostics} />;
}
