import { describe, expect, it } from 'vitest';
import { emptyTopology } from '../../../core/model/index.js';
import { addNode } from '../../../renderer/actions/place.js';
import { updateNode } from '../../../renderer/actions/edit.js';
import { Editor } from '../../../renderer/store/editor.js';
import { record, redo, startHistory, undo } from '../../../renderer/store/history.js';

describe('history', () => {
  it('undoes and redoes edits, coalescing edits with the same key', () => {
    let h = startHistory('a');
    h = record(h, 'b', 'one');
    h = record(h, 'c', 'type', 'field');
    h = record(h, 'd', 'type', 'field');
    expect(h.past.map((e) => e.doc)).toEqual(['a', 'b']);
    h = undo(h);
    expect(h.present.doc).toBe('b');
    h = redo(h);
    expect(h.present.doc).toBe('d');
    h = undo(undo(h));
    h = record(h, 'x', 'new');
    expect(h.future).toEqual([]);
  });
});

describe('Editor', () => {
  it('runs actions through one path: undo, redo, dirty tracking and refusals as toasts', () => {
    const editor = new Editor(emptyTopology());
    expect(editor.dirty).toBe(false);
    expect(editor.apply('Add VPC', (d) => addNode(d, { kind: 'vpc', position: { x: 0, y: 0 } }))).toBe(true);
    expect(editor.apply('Add server', (d) => addNode(d, { kind: 'server', position: { x: 5000, y: 0 } }))).toBe(false);
    expect(editor.state.toasts.at(-1)).toMatchObject({ tone: 'error', message: expect.stringMatching(/server cannot go/) });
    expect(editor.doc.nodes).toHaveLength(1);
    expect(editor.dirty).toBe(true);
    editor.undo();
    expect(editor.doc.nodes).toHaveLength(0);
    expect(editor.dirty).toBe(false);
    editor.redo();
    editor.apply('Rename', (d) => updateNode(d, { id: 'vpc-1', patch: { name: 'p' } }), { coalesce: 'vpc-1.name' });
    editor.apply('Rename', (d) => updateNode(d, { id: 'vpc-1', patch: { name: 'prod' } }), { coalesce: 'vpc-1.name' });
    editor.undo();
    expect(editor.doc.nodes[0]).not.toHaveProperty('name');
    editor.markSaved('x.topolab.json');
    expect(editor.dirty).toBe(false);
  });
});
