import { useEffect } from 'react';
import { MenuEventSchema } from '../../core/api/contract/index.js';
import { shellSubscribe } from '../files/shell.js';
import { FIELD_ACTIONS, MENU_TO_COMMAND } from './menu-commands.js';
import { useCommandRunner } from './useCommands.js';

export { MENU_TO_COMMAND } from './menu-commands.js';

function focusedField(): boolean {
  const el = document.activeElement;
  return el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA'].includes(el.tagName));
}

/**
 * Runs the desktop shell's native menu commands (`app.menu`) when running inside the
 * desktop shell (a no-op in a browser).
 */
export function useMenuCommands(): void {
  const run = useCommandRunner();
  useEffect(
    () =>
      shellSubscribe('app.menu', (payload) => {
        // A payload that is not the contract's is ignored rather than trusted.
        const parsed = MenuEventSchema.safeParse(payload);
        if (!parsed.success) return;
        const field = FIELD_ACTIONS[parsed.data.command];
        if (field && focusedField()) {
          // execCommand is deprecated but remains the one way to drive a field's own undo stack.
          document.execCommand(field);
          return;
        }
        const command = MENU_TO_COMMAND[parsed.data.command];
        if (command) run(command);
      }),
    [run],
  );
}
