import { useCallback, useEffect } from 'react';
import { useReactFlow } from '@xyflow/react';
import type { TopologyFlowEdge, TopologyFlowNode } from '../canvas/flow.js';
import { COMMANDS, matchesShortcut, runCommand, type CommandContext } from './commands.js';
import { useServices } from './context.js';

/** Runs commands by id with the app's services and the canvas instance. */
export function useCommandRunner(): (id: string) => void {
  const services = useServices();
  const flow = useReactFlow<TopologyFlowNode, TopologyFlowEdge>();
  return useCallback((id: string) => runCommand({ ...services, flow }, id), [services, flow]);
}

/** The context commands run in, for `enabled` checks in menus. */
export function useCommandContext(): CommandContext {
  const services = useServices();
  const flow = useReactFlow<TopologyFlowNode, TopologyFlowEdge>();
  return { ...services, flow };
}

function typingInField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Global keyboard shortcuts from the command table. Shortcuts without a modifier are
 * ignored while typing in a field (so Backspace edits text, not the design); undo/redo
 * in a field stay the field's own.
 */
export function useShortcuts(): void {
  const services = useServices();
  const flow = useReactFlow<TopologyFlowNode, TopologyFlowEdge>();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const inField = typingInField(event.target);
      // Escape in a field leaves the field; a second Escape reaches the commands.
      if (inField && event.key === 'Escape' && services.editor.state.dialog === null) {
        (event.target as HTMLElement).blur();
        return;
      }
      if (services.editor.state.dialog !== null && event.key !== 'Escape') return;
      for (const command of COMMANDS) {
        for (const combo of command.keys ?? []) {
          if (!matchesShortcut(event, combo)) continue;
          const modified = combo.includes('Mod+') || combo.includes('Alt+');
          if (inField && (!modified || command.group === 'Edit')) return;
          if (event.key === 'Escape' && services.editor.state.dialog !== null) {
            services.editor.openDialog(null);
            event.preventDefault();
            return;
          }
          event.preventDefault();
          runCommand({ ...services, flow }, command.id);
          return;
        }
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [services, flow]);
}
