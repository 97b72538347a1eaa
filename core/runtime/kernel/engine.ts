import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderExport } from '../../export/index.js';
import type { Topology } from '../../model/types.js';
import type { ServiceRole } from '../lab/plan-types.js';
import { findTool } from './tools.js';

/** Which program runs the design's balancers and reverse proxies in the kernel lab. */
export type LabEngine = 'builtin' | 'nginx' | 'haproxy';

/** Roles an engine takes over: balancers and reverse proxies (caches and forward proxies stay built in). */
const ENGINE_ROLES = new Set<ServiceRole>(['l7-balancer', 'l4-balancer', 'reverse-proxy']);

/** How an engine runs in one node: the shell command its namespace host starts (with HOST and PORT set). */
export type EngineCommand = (role: ServiceRole, ns: string) => string | undefined;

/**
 * Writes the design's export for the engine into the lab's folder, unchanged (the file
 * `topolab export --format nginx|haproxy` prints), and returns how each balancer or reverse
 * proxy runs it: the real tool, in the node's namespace, with the whole file. Each
 * instance binds every listen address of the file (nonlocal bind on), and only the node's
 * own designed address receives traffic there, so the exported file is what runs.
 * Throws when the tool is not installed.
 */
export function prepareEngine(engine: Exclude<LabEngine, 'builtin'>, topology: Topology, dir: string): EngineCommand {
  const program = findTool(engine);
  if (!program) throw new Error(`--engine ${engine} needs ${engine} installed (package ${engine}): install it, or use the built-in engine`);
  const result = renderExport(topology, engine);
  const file = result.files.find((f) => f.path === (engine === 'nginx' ? 'nginx.conf' : 'haproxy.cfg'));
  if (!file) throw new Error(`the ${engine} export of this design has no ${engine === 'nginx' ? 'nginx.conf' : 'haproxy.cfg'}`);
  const conf = path.join(dir, file.path);
  writeFileSync(conf, file.content, { mode: 0o600 });
  const nonlocal = 'echo 1 > /proc/sys/net/ipv4/ip_nonlocal_bind; echo 1 > /proc/sys/net/ipv6/ip_nonlocal_bind';
  return (role, ns) => {
    if (!ENGINE_ROLES.has(role)) return undefined;
    if (engine === 'haproxy') return `${nonlocal}; exec ${program} -db -f ${conf}`;
    // The lab runs as root of its own user namespace, which maps no other user: the workers stay root.
    const globals = `daemon off; user root root; pid ${path.join(dir, `nginx-${ns}.pid`)};`;
    return `${nonlocal}; exec ${program} -c ${conf} -e ${path.join(dir, `nginx-${ns}.error.log`)} -g '${globals}'`;
  };
}
