import { MENU_COMMANDS, MenuEventSchema, type LabMenuCommand } from '../../core/api/contract/index.js';
import { createBridgeClient, isBridge } from '../api/index.js';

export type { LabMenuCommand };

/** Desktop menu commands lab mode handles (the shell sends them as `app.menu { command }`): the contract's Lab menu. */
export const LAB_MENU_COMMANDS: readonly LabMenuCommand[] = MENU_COMMANDS.filter((command): command is LabMenuCommand => command.startsWith('lab.'));

/**
 * Listens for the desktop menu's lab commands (Lab > Launch Lab, ...). In a browser there
 * is no menu and nothing is subscribed; other commands are left to the rest of the app.
 */
export function subscribeLabMenu(env: { topolab?: unknown }, onCommand: (command: LabMenuCommand) => void): () => void {
  if (!isBridge(env.topolab)) return () => undefined;
  return createBridgeClient(env.topolab).subscribe('app.menu', (payload) => {
    // A payload that is not the contract's is ignored rather than trusted.
    const parsed = MenuEventSchema.safeParse(payload);
    const command = parsed.success ? parsed.data.command : undefined;
    const lab = LAB_MENU_COMMANDS.find((known) => known === command);
    if (lab) onCommand(lab);
  });
}
