import type { Topology } from '../../model/types.js';

/** One user command a design would run on this machine when its lab starts. */
export interface UserCommand {
  nodeId: string;
  command: string;
}

/**
 * Every `command` a design carries (servers and auto-scaling templates). A lab runs them
 * as the user who starts it, so a design from elsewhere must not run them unasked: the
 * API refuses to start such a lab without `allowCommands`, and the CLI without
 * `--allow-commands`, listing what would run.
 */
export function userCommands(topology: Topology): UserCommand[] {
  const out: UserCommand[] = [];
  for (const node of topology.nodes) {
    if (node.kind === 'server' && node.command !== undefined) out.push({ nodeId: node.id, command: node.command });
    if (node.kind === 'autoscaling-group' && node.template?.command !== undefined) out.push({ nodeId: node.id, command: node.template.command });
  }
  return out;
}

/** The refusal a user sees: which nodes would run what, and how to allow it. */
export function describeUserCommands(commands: readonly UserCommand[], howToAllow: string): string {
  const list = commands.map((c) => `  ${c.nodeId}: ${c.command}`).join('\n');
  return `this design runs ${commands.length === 1 ? 'a command' : `${commands.length} commands`} on this machine:\n${list}\nReview ${commands.length === 1 ? 'it' : 'them'}, then ${howToAllow}.`;
}
