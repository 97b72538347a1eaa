import type { IncomingMessage } from 'node:http';

/** Who a request is, once a route's authentication accepted it. */
export interface Identity {
  /** The key's id, the user name or the token's `sub`. */
  id: string;
  scopes: readonly string[];
  via: 'api-key' | 'basic' | 'jwt';
}

/** A refusal: 401 with the challenge to send in `WWW-Authenticate`. */
export interface AuthRefusal {
  ok: false;
  status: 401;
  challenge: string;
  /** For the JSON body and the log; never holds the credential. */
  reason: string;
}

export type AuthResult = { ok: true; identity: Identity } | AuthRefusal;

/** One route's authentication: a request (and its parsed URL) to an identity or a refusal. */
export type Authenticator = (req: IncomingMessage, url: URL) => AuthResult | Promise<AuthResult>;

/** A text safe inside a quoted challenge parameter: printable ASCII without `"` and `\`, at most 200 characters. */
export function quotable(text: string): string {
  return text.replace(/[^\x20-\x7e]|["\\]/g, "'").slice(0, 200);
}

/** The one `Authorization` header, or undefined (absent, or sent twice: ambiguous, so refused as absent). */
export function authorizationOf(req: IncomingMessage): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if ((req.rawHeaders[i] as string).toLowerCase() !== 'authorization') continue;
    if (found !== undefined) return undefined;
    found = req.rawHeaders[i + 1] as string;
  }
  return found;
}
