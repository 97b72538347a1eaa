import { isHeaderFieldName, isHeaderFieldValue } from './header-fields.js';
import { isLiteralPrefix, rewriteProblems, safeParsePathPattern } from './gateway-patterns.js';
import type { GatewayConfig, GatewayRoute } from './kinds/gateway-fields.js';

/**
 * What is wrong with a reverse proxy's `gateway` block beyond its shape: one list, used by
 * the `gateway-invalid` validation rule, by the lab's planner (a design started without
 * validation still fails at start, never per request) and by the exporters. Pure: secret
 * files are checked by name and path here; whether they exist and parse is the lab's job
 * when it loads them (core/runtime/services/gateway/secrets.ts).
 */

/** One problem: the path inside the node (`gateway.routes[1].auth.keys`) and a sentence. */
export interface GatewayProblem {
  at: (string | number)[];
  message: string;
}

/** A secret path that stays inside the design's folder: relative, no `..`, no NUL. */
export function secretPathProblem(path: string): string | undefined {
  if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\')) return `"${path}" is absolute: give a path relative to the design's folder`;
  if (path.split(/[\\/]/).includes('..')) return `"${path}" leaves the design's folder (".."): keep secret files next to the design`;
  if (/[\0\r\n]/.test(path)) return `"${path}" holds a control character`;
  return undefined;
}

/** Every problem of a gateway block, in document order. */
export function gatewayProblems(gateway: GatewayConfig | undefined, hasRules: boolean): GatewayProblem[] {
  if (gateway === undefined) return [];
  const out: GatewayProblem[] = [];
  const push = (at: (string | number)[], message: string): void => void out.push({ at: ['gateway', ...at], message });
  if (hasRules) push([], 'a reverse proxy has either `rules` or a `gateway` block, not both: move each rule into gateway.routes');
  const secrets = gateway.secrets ?? {};
  for (const [name, path] of Object.entries(secrets)) {
    const problem = secretPathProblem(path);
    if (problem !== undefined) push(['secrets', name], `secret "${name}": ${problem}`);
  }
  if (gateway.requestIdHeader !== undefined && !isHeaderFieldName(gateway.requestIdHeader)) push(['requestIdHeader'], `"${gateway.requestIdHeader}" is not an HTTP header name`);
  const seen = new Map<string, number>();
  gateway.routes.forEach((route, r) => {
    const first = seen.get(route.id);
    if (first !== undefined) push(['routes', r, 'id'], `route id "${route.id}" is used by routes[${first}] already: each route needs its own id (x-topolab-route names it)`);
    else seen.set(route.id, r);
    routeProblems(route, secrets, (at, message) => push(['routes', r, ...at], `route "${route.id}": ${message}`));
  });
  return out;
}

type Push = (at: (string | number)[], message: string) => void;

function routeProblems(route: GatewayRoute, secrets: Readonly<Record<string, string>>, push: Push): void {
  const parsed = safeParsePathPattern(route.path ?? '/*');
  if (!parsed.ok) push(['path'], `impossible path pattern: ${parsed.problem}`);
  else {
    if (route.rewrite !== undefined) for (const problem of rewriteProblems(route.rewrite, parsed.pattern)) push(['rewrite'], problem);
    if (route.stripPrefix !== undefined && !isLiteralPrefix(route.stripPrefix, parsed.pattern)) {
      push(['stripPrefix'], `"${route.stripPrefix}" is not a literal start of the pattern "${parsed.pattern.source}", so it cannot be stripped from every match`);
    }
  }
  if (route.rewrite !== undefined && route.stripPrefix !== undefined) push(['stripPrefix'], 'give either stripPrefix or rewrite, not both');
  headerEdits(route.requestHeaders, ['requestHeaders'], push);
  headerEdits(route.responseHeaders, ['responseHeaders'], push);
  const secret = (field: string, name: string, jwks = false): void => {
    const path = secrets[name];
    if (path === undefined) push(['auth', field], `the secret "${name}" is not declared in gateway.secrets${Object.keys(secrets).length > 0 ? ` (declared: ${Object.keys(secrets).join(', ')})` : ''}`);
    else if (jwks && !path.toLowerCase().endsWith('.json')) push(['auth', field], `the JWKS "${name}" is "${path}": a JWKS is a JSON file ({ "keys": [...] }) ending in .json`);
  };
  const { auth } = route;
  if (auth?.type === 'api-key') {
    secret('keys', auth.keys);
    if (auth.header !== undefined && !isHeaderFieldName(auth.header)) push(['auth', 'header'], `"${auth.header}" is not an HTTP header name`);
  } else if (auth?.type === 'basic') secret('users', auth.users);
  else if (auth?.type === 'jwt') {
    if (auth.secret === undefined && auth.jwks === undefined) push(['auth'], 'a JWT route needs `secret` (HS256) or `jwks` (RS256/ES256) to verify signatures with');
    if (auth.secret !== undefined) secret('secret', auth.secret);
    if (auth.jwks !== undefined) secret('jwks', auth.jwks, true);
    const algorithms = auth.algorithms ?? [];
    if (algorithms.includes('HS256') && auth.secret === undefined) push(['auth', 'algorithms'], 'HS256 needs `secret` (the shared key)');
    if (algorithms.some((a) => a !== 'HS256') && auth.jwks === undefined) push(['auth', 'algorithms'], 'RS256 and ES256 need `jwks` (the public keys)');
  }
  if (route.scopes !== undefined && route.scopes.length > 0 && auth === undefined) push(['scopes'], 'scopes need `auth`: without an identity there is nothing to check them against');
  const cors = route.cors;
  if (cors?.credentials === true && cors.origins.includes('*')) push(['cors', 'origins'], 'browsers refuse credentials with the origin "*": list the origins');
  cors?.origins.forEach((origin, o) => {
    if (origin !== '*' && !/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(origin)) push(['cors', 'origins', o], `"${origin}" is not an origin (scheme://host[:port], no path)`);
  });
}

function headerEdits(edits: GatewayRoute['requestHeaders'], at: (string | number)[], push: Push): void {
  for (const [name, value] of Object.entries(edits?.add ?? {})) {
    if (!isHeaderFieldName(name)) push([...at, 'add', name], `"${name}" is not an HTTP header name (RFC 9110 token)`);
    else if (!isHeaderFieldValue(value)) push([...at, 'add', name], `the value of "${name}" holds a character a header cannot carry (RFC 9110 5.5)`);
  }
  (edits?.remove ?? []).forEach((name, i) => {
    if (!isHeaderFieldName(name)) push([...at, 'remove', i], `"${name}" is not an HTTP header name (RFC 9110 token)`);
  });
}
