import { safeParseTopologyValue, type Topology } from '../../core/model/index.js';

/** A starting design from examples/, bundled at build time. */
export interface Template {
  file: string;
  topology: Topology;
}

/** The examples, imported as JSON by Vite when the renderer is built. */
const modules = import.meta.glob<unknown>('../../examples/*.topolab.json', { eager: true, import: 'default' });

/** Every example that loads cleanly, sorted by name; a broken example is skipped, not fatal. */
export function loadTemplates(source: Record<string, unknown> = modules): Template[] {
  const out: Template[] = [];
  for (const [path, value] of Object.entries(source)) {
    const parsed = safeParseTopologyValue(value);
    if (parsed.ok) out.push({ file: path.split('/').pop() ?? path, topology: parsed.topology });
  }
  return out.sort((a, b) => a.topology.name.localeCompare(b.topology.name));
}
