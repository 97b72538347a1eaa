import { COMMANDS, formatShortcut } from '../lib/commands.js';
import { Dialog } from './Dialog.js';

const MOUSE: [string, string][] = [
  ['Drag from the palette', 'Create a node where you drop it'],
  ['Drag from a handle ● to a node', 'Connect (targets, upstreams, associations, peering)'],
  ['Shift + drag on the canvas', 'Select an area'],
  ['Ctrl/⌘ + click', 'Add to the selection'],
  ['Drag a node into a container', 'Move it there (parent and address update)'],
  ['Scroll / pinch', 'Zoom; drag the background to pan'],
];

/** Every keyboard shortcut, generated from the command table so it cannot drift. */
export function HelpSheet() {
  const groups = ['File', 'Edit', 'View', 'Arrange', 'Tools'] as const;
  return (
    <Dialog title="Keyboard shortcuts" testId="help-sheet" wide>
      <div className="help-grid">
        {groups.map((group) => {
          const commands = COMMANDS.filter((c) => c.group === group && c.keys && c.keys.length > 0);
          if (commands.length === 0) return null;
          return (
            <section key={group}>
              <h3>{group}</h3>
              <dl>
                {commands.map((c) => (
                  <div key={c.id} className="help-row" data-testid={`shortcut-${c.id}`}>
                    <dt>{c.label}</dt>
                    <dd>
                      {(c.keys ?? []).map((k) => (
                        <kbd key={k}>{formatShortcut(k)}</kbd>
                      ))}
                    </dd>
                  </div>
                ))}
              </dl>
            </section>
          );
        })}
        <section>
          <h3>Mouse</h3>
          <dl>
            {MOUSE.map(([what, does]) => (
              <div key={what} className="help-row">
                <dt>{does}</dt>
                <dd>{what}</dd>
              </div>
            ))}
          </dl>
        </section>
      </div>
    </Dialog>
  );
}
