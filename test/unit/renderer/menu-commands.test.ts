import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MENU_COMMANDS, type LabMenuCommand } from '../../../core/api/contract/index.js';
import { LAB_MENU_COMMANDS } from '../../../renderer/lab/menu.js';
import { MENU_TO_COMMAND } from '../../../renderer/lib/menu-commands.js';

/** The ids of the page's command table, read from its source (it pulls in JSX, which this project does not compile). */
const COMMAND_IDS = new Set([...readFileSync(new URL('../../../renderer/lib/commands.ts', import.meta.url), 'utf8').matchAll(/\bid: '([a-z0-9.-]+)'/g)].map((match) => match[1]));

describe("the page's side of the native menu (one list: the contract's MENU_COMMANDS)", () => {
  it('runs an existing command for every menu command, except the Lab menu, which lab mode handles', () => {
    expect(COMMAND_IDS.size).toBeGreaterThan(20);
    const lab = new Set<string>(LAB_MENU_COMMANDS);
    for (const menu of MENU_COMMANDS) {
      const target = MENU_TO_COMMAND[menu];
      if (lab.has(menu)) expect(target, menu).toBeNull();
      else expect(COMMAND_IDS.has(target ?? ''), `${menu} -> ${target}`).toBe(true);
    }
    expect(Object.keys(MENU_TO_COMMAND).sort()).toEqual([...MENU_COMMANDS].sort());
    expect(LAB_MENU_COMMANDS).toEqual(['lab.launch', 'lab.stop', 'lab.traffic', 'lab.endpoints'] satisfies LabMenuCommand[]);
  });
});
