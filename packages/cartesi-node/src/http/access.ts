// Who may call the local chain's and the node's HTTP entry points. Both bind 127.0.0.1, yet every web page open in the
// developer's browser can still send them requests (a cross-site POST with a "simple" content type needs no CORS
// preflight, and a DNS-rebinding page even talks to them under its own host name). So every request is checked:
//   - the Host header must name this machine by an IP literal or `localhost` (or the bound host name): a rebinding
//     page's requests carry the attacker's domain;
//   - a request from a web page (it carries an Origin header, or Sec-Fetch-Site says another site sent it) must come
//     from an origin the devnet was told about (its UI), and only those origins get CORS headers;
//   - bodies must be JSON where the API is JSON: a browser cannot send `application/json` cross-site without a
//     preflight, which the first rule answers only for allowed origins.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';

/** The UI's own origins when it runs on its default port (`pnpm dev`), allowed unless told otherwise. */
export const DEFAULT_UI_ORIGINS: readonly string[] = ['http://127.0.0.1:5173', 'http://localhost:5173'];

export interface AccessPolicy {
  /** Web origins (scheme://host[:port]) that may call, and get CORS headers. */
  readonly origins: ReadonlySet<string>;
  /** The host the server binds: accepted in the Host header besides IP literals and localhost. */
  readonly boundHost: string;
  /** Browser extensions (wallets such as MetaMask send their RPC calls from their own origin). */
  readonly extensions: boolean;
}

export class InvalidOriginError extends Error {
  readonly code = 'invalid-origin';
  constructor(readonly origin: string) {
    super(
      `'${origin}' is not a web origin: give one like http://127.0.0.1:5173 (scheme, host and port, no path)`,
    );
    this.name = 'InvalidOriginError';
  }
}

/** scheme://host[:port], lower-case, default port dropped; throws InvalidOriginError for anything else. */
export function normalizeOrigin(origin: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new InvalidOriginError(origin);
  }
  if (!/^https?:$/.test(url.protocol) || url.origin === 'null' || url.pathname.length > 1 || url.search) {
    throw new InvalidOriginError(origin);
  }
  return url.origin;
}

export function accessPolicy(o: {
  origins?: readonly string[];
  host: string;
  extensions?: boolean;
}): AccessPolicy {
  return {
    origins: new Set((o.origins ?? DEFAULT_UI_ORIGINS).map(normalizeOrigin)),
    boundHost: o.host.toLowerCase(),
    extensions: o.extensions ?? false,
  };
}

/** The policy with more origins (e.g. the server's own, known once it listens). */
export function withOrigins(p: AccessPolicy, more: readonly string[]): AccessPolicy {
  return { ...p, origins: new Set([...p.origins, ...more.map(normalizeOrigin)]) };
}

/** The hostname part of a Host header (`[::1]:8080` → `::1`, `localhost:8545` → `localhost`). */
function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

/**
 * Why the Host header is not acceptable, or null. An IP literal or `localhost` cannot be a rebinding attacker's name;
 * neither can the host name the server was told to bind.
 */
export function hostProblem(req: IncomingMessage, p: AccessPolicy): string | null {
  const header = req.headers.host;
  if (!header) return 'the request has no Host header';
  const name = hostName(header);
  if (name === 'localhost' || isIP(name) !== 0 || name === p.boundHost) return null;
  return (
    `Host '${header}' is not this machine's address: requests must name it by IP (127.0.0.1) or localhost ` +
    '(a web page reaching the devnet under another name is a DNS-rebinding attack)'
  );
}

const EXTENSION_ORIGIN = /^(chrome|moz|safari-web)-extension:\/\/[a-z0-9.-]+$/i;

export function originAllowed(origin: string, p: AccessPolicy): boolean {
  if (p.extensions && EXTENSION_ORIGIN.test(origin)) return true;
  let normal: string;
  try {
    normal = normalizeOrigin(origin);
  } catch {
    return false;
  }
  return p.origins.has(normal);
}

/** The calling web page's origin: the Origin header, or '' when a browser sent it for another site without one. */
export function webOrigin(req: IncomingMessage): string | undefined {
  const origin = req.headers.origin;
  if (typeof origin === 'string') return origin;
  // <img src>, <script src> and no-cors GETs carry no Origin, but every current browser marks them cross-site
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return '';
  return undefined;
}

export type Admission =
  { ok: true; origin: string | undefined } | { ok: false; status: number; message: string };

/**
 * Host check, then origin check. `origin` is set for requests from an allowed web page (the caller adds CORS headers
 * for it) and undefined for local tools (no Origin).
 */
export function admit(req: IncomingMessage, p: AccessPolicy, what: string): Admission {
  const host = hostProblem(req, p);
  if (host) return { ok: false, status: 403, message: host };
  const origin = webOrigin(req);
  if (origin === undefined) return { ok: true, origin };
  if (origin !== '' && originAllowed(origin, p)) return { ok: true, origin };
  return {
    ok: false,
    status: 403,
    message:
      `${what} refuses requests from web pages other than the devnet's UI (origin ${origin || 'unknown'}); ` +
      'to allow a UI served elsewhere, start the devnet with --ui-origin <its origin>',
  };
}

/** CORS headers for an allowed origin (never '*': each allowed origin is named, and only it). */
export function setCors(res: ServerResponse, origin: string) {
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'content-type');
  res.setHeader('Access-Control-Max-Age', '600');
}

/** `application/json`, with or without parameters (charset). */
export function isJsonRequest(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  return typeof type === 'string' && type.split(';')[0]!.trim().toLowerCase() === 'application/json';
}
