import type { Topology } from '../model/types.js';
import type { ExportFile } from './report.js';

/**
 * The secret files an nginx or HAProxy gateway export includes, as empty placeholders that
 * say what to write: the export never reads the design's secrets, and an empty file fails
 * closed (no key, user or scoped identity matches: 401 or 403). Paths are relative to the
 * exported config's folder; the exporters' reports name each one.
 */
export function gatewayPlaceholderFiles(topology: Topology, format: 'nginx' | 'haproxy'): ExportFile[] {
  const out: ExportFile[] = [];
  for (const node of topology.nodes) {
    if (node.kind !== 'reverse-proxy' || node.gateway === undefined) continue;
    const secrets = node.gateway.secrets ?? {};
    const base = `gateway-secrets/${node.id}`;
    for (const route of node.gateway.routes) {
      const auth = route.auth;
      if (auth?.type === 'api-key') {
        const line = format === 'nginx' ? '"<key>" "<key id>";' : '<key> <key id>';
        out.push({ path: `${base}/${route.id}.keys.map`, content: `# Route ${route.id}: one line per API key of ${secrets[auth.keys] ?? auth.keys}, as ${line}\n` });
      }
      if (auth?.type === 'basic' && format === 'nginx') {
        out.push({ path: `${base}/${route.id}.htpasswd`, content: `# Route ${route.id}: the users of ${secrets[auth.users] ?? auth.users}, as user:hash (htpasswd -B) or user:{PLAIN}password in a lab\n` });
      }
      const scoped = route.scopes !== undefined && route.scopes.length > 0 && (auth?.type === 'api-key' || (auth?.type === 'basic' && format === 'nginx'));
      if (scoped) {
        const line = format === 'nginx' ? '"<key id or user>" 1;' : '<key id> 1';
        out.push({ path: `${base}/${route.id}.scoped.map`, content: `# Route ${route.id}: one line per identity holding ${route.scopes!.join(', ')}, as ${line}\n` });
      }
    }
  }
  return out;
}
