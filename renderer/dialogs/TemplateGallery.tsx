import { useMemo } from 'react';
import { useServices } from '../lib/context.js';
import { diagramSvg } from '../lib/diagram.js';
import { loadTemplates } from '../lib/templates.js';
import { Dialog } from './Dialog.js';

/** The template gallery: every example with a drawn preview; choosing one starts an unsaved copy. */
export function TemplateGallery() {
  const { editor, session } = useServices();
  const templates = useMemo(() => loadTemplates(), []);
  const previews = useMemo(() => templates.map((t) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(diagramSvg(t.topology, { padding: 16 }))}`), [templates]);
  const choose = (index: number) => {
    const template = templates[index];
    if (!template) return;
    editor.openDialog(null);
    session.newDesign(template.topology, `Template ${template.topology.name}`);
    editor.toast('info', `Started from “${template.topology.name}”: save it to keep it`);
  };
  return (
    <Dialog title="Start from a template" testId="template-gallery" wide>
      {templates.length === 0 ? (
        <div className="empty-state" data-testid="templates-empty">
          <strong>No templates bundled</strong>
          <span>Templates are the designs in examples/, included when the app is built.</span>
        </div>
      ) : (
        <div className="template-grid">
          {templates.map((t, i) => (
            <button key={t.file} type="button" className="template-card" data-testid={`template-${t.file}`} onClick={() => choose(i)}>
              <img src={previews[i]} alt="" className="template-preview" />
              <strong>{t.topology.name}</strong>
              <span className="muted">{t.topology.description ?? `${t.topology.nodes.length} nodes`}</span>
            </button>
          ))}
        </div>
      )}
    </Dialog>
  );
}
