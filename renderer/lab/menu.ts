import { isBridge } from '../api/index.js';

/** Desktop menu commands lab mode handles (the shell sends them as `app.menu { command }`). */
export const LAB_MENU_COMMANDS = ['lab.launch', 'lab.stop', 'lab.traffic', 'lab.endpoints'] as const;
/** One of LAB_MENU_COMMANDS. */
export type LabMenuCommand = (typeof LAB_MENU_COMMANDS)[number];

/**
 * Listens for the desktop menu's lab commands (Lab > Launch Lab, ...). In a browser there
 * is no menu and nothing is subscribed; other commands are left to the rest of the app.
 */
export function subscribeLabMenu(env: { topolab?: unknown }, onCommand: (command: LabMenuCommand) => void): () => void {
  const bridge = env.topolab;
  if (!isBridge(bridge)) return () => undefined;
  return bridge.subscribe('app.menu', (payload) => {
    const command = (payload as { command?: unknown } | null)?.command;
    if (typeof command === 'string' && (LAB_MENU_COMMANDS as readonly string[]).includes(command)) onCommand(command as LabMenuCommand);
  });
}
