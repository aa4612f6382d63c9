// The node's single HTTP server, laid out like the Cartesi CLI 1.5 devnet on port 8080:
// /graphql, /inspect, /host-runner/<secret>/* (and /rollup/<secret>/*, the node's own prefix), /healthz, plus whatever
// GET routes the embedding application adds (the Trust-and-Teach devnet: its deployments file and the model files).
// Who may call what (../http/access.ts): the rollup API only the backend given its per-run secret URL, never a web
// page; the reader, inspect and the files anyone on this machine and the web pages of the allowed origins (the UI).
import { timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InspectResponse } from '@tt/cartesi-v1';
import { hexlify } from 'ethers';
import type { GraphQLSchema } from 'graphql';
import { admit, isJsonRequest, setCors, webOrigin, withOrigins, type AccessPolicy } from '../http/access.js';
import { BodyTooLargeError, readBody } from '../http/body.js';
import { graphqlPage, handleGraphql } from './graphql/http.js';
import { GRAPHQL_LIMITS } from './graphql/limits.js';
import type { ReaderContext } from './graphql/context.js';
import { BackendGoneError, HostRunner, RollupApiError } from './rollup-api/host-runner.js';
import type { InputRunner } from './input-runner.js';

/** The answer to an extra GET route: JSON, a file from disk, or a plain-text status. */
export type ExtraRoute =
  { json: unknown } | { file: string; contentType: string } | { status: number; text: string };
/** Routes the embedding application serves beside the node's APIs: a path → its answer, or undefined (404). */
export type ExtraRoutes = (path: string) => ExtraRoute | undefined;

export interface NodeServerOptions {
  host: string;
  port: number;
  schema: GraphQLSchema;
  context: ReaderContext;
  hostRunner: HostRunner;
  /** Who answers inspects: the host runner, or the machine in machine mode (then there is no host rollup API). */
  inspector: InputRunner;
  processedInputCount: () => number;
  /** GET /status: what the node is doing (the input being processed, its cycles and ETA in machine mode). */
  status: () => unknown;
  /** Whether a backend is expected to poll soon (a supervised one restarting counts). */
  backendExpected: () => boolean;
  routes?: ExtraRoutes;
  /** The rollup API answers only under /host-runner/<rollupSecret>/ (the URL handed to the backend). */
  rollupSecret: string;
  /** Host header and web origins allowed (the node's own origin is added once it listens). */
  access: AccessPolicy;
}

// a voucher, notice or report can carry up to ~2 MiB of payload: 4 MiB of hex plus JSON
const MAX_BODY = 16 * 1024 * 1024;
const INSPECT_MAX_BODY = 1024 * 1024;

const ROLLUP_PREFIXES = ['/host-runner/', '/rollup/'];

function secretMatches(given: string, secret: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function text(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Percent-decodes a URL path to raw bytes (not UTF-8 text: the payload may be any bytes). */
function percentDecode(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out.push(...Buffer.from(s[i]!, 'utf8'));
    }
  }
  return Uint8Array.from(out);
}

function serveFile(res: ServerResponse, path: string, contentType: string) {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return text(res, 404, `file missing on the node's host: ${path}`);
  }
  res.writeHead(200, { 'content-type': contentType, 'content-length': size, 'cache-control': 'no-cache' });
  createReadStream(path).pipe(res);
}

export async function startNodeServer(o: NodeServerOptions): Promise<{ server: Server; url: string }> {
  /**
   * The rollup API (host-runner): only for the backend process, which got the secret URL in ROLLUP_HTTP_SERVER_URL.
   * A wrong secret, a web page, or a body that is not JSON change nothing. No CORS headers, ever.
   */
  const rollup = async (rest: string, req: IncomingMessage, res: ServerResponse) => {
    if (webOrigin(req) !== undefined)
      return text(res, 403, 'the rollup API is for the backend process only, not for web pages');
    const slash = rest.indexOf('/');
    const given = slash === -1 ? '' : rest.slice(0, slash);
    const route = slash === -1 ? rest : rest.slice(slash + 1);
    if (!secretMatches(given, o.rollupSecret))
      return text(
        res,
        403,
        "wrong or missing secret: this node's rollup API answers only under the URL it handed to its backend " +
          '(ROLLUP_HTTP_SERVER_URL; with --no-backend the devnet prints it)',
      );
    if (o.inspector !== o.hostRunner)
      return text(
        res,
        404,
        'this node runs its backend inside the Cartesi machine: there is no rollup API for a host backend',
      );
    if (req.method !== 'POST') return text(res, 405, `use POST for /${route}`);
    if (!isJsonRequest(req))
      return text(res, 415, `the rollup API takes JSON bodies only: send content-type: application/json`);
    const raw = await readBody(req, MAX_BODY);
    let body: unknown;
    try {
      body = raw.length ? JSON.parse(raw.toString('utf8')) : null;
    } catch {
      return text(res, 400, 'Json deserialize error: the body must be JSON');
    }
    switch (route) {
      case 'finish': {
        let closed = false;
        res.on('close', () => (closed = true));
        o.hostRunner.finish(body, (reply) => {
          if (closed || res.destroyed) return false;
          if (reply.status === 202) text(res, 202, reply.body);
          else json(res, 200, reply.body);
          return true;
        });
        return;
      }
      case 'voucher':
        return json(res, 200, o.hostRunner.voucher(body));
      case 'notice':
        return json(res, 200, o.hostRunner.notice(body));
      case 'report':
        o.hostRunner.report(body);
        return void res.writeHead(200).end();
      case 'exception':
        o.hostRunner.exception(body);
        return void res.writeHead(200).end();
      default:
        return text(
          res,
          404,
          `unknown rollup API endpoint /${route}: use finish, voucher, notice, report or exception`,
        );
    }
  };

  const inspect = async (payload: Uint8Array, res: ServerResponse) => {
    const host = o.inspector === o.hostRunner;
    if (host && !o.backendExpected() && Date.now() - o.hostRunner.lastSeen > 15_000 && !o.hostRunner.busy) {
      return text(res, 502, 'the node cannot reach the backend: no backend is polling /host-runner/finish');
    }
    const r = await o.inspector.inspect(hexlify(payload));
    const body: InspectResponse = {
      status: r.status,
      exception_payload: r.exceptionPayload,
      reports: r.reports,
      processed_input_count: o.processedInputCount(),
    };
    json(res, 200, body);
  };

  let access = o.access;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const rawUrl = req.url ?? '/';
    const qIndex = rawUrl.indexOf('?');
    const path = qIndex === -1 ? rawUrl : rawUrl.slice(0, qIndex);
    const prefix = ROLLUP_PREFIXES.find((p) => path.startsWith(p));
    const admission = admit(req, access, 'the Cartesi node');
    if (!admission.ok) return text(res, admission.status, admission.message);
    if (prefix) return rollup(path.slice(prefix.length), req, res);

    if (admission.origin !== undefined) setCors(res, admission.origin);
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();

    if (path === '/graphql' || path === '/graphql/') {
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return void res.end(graphqlPage(path));
      }
      if (req.method !== 'POST') return text(res, 405, 'use POST for /graphql (GET shows how)');
      if (!isJsonRequest(req))
        return text(res, 415, 'GraphQL requests are JSON: send content-type: application/json');
      let body: Buffer;
      try {
        body = await readBody(req, GRAPHQL_LIMITS.maxBodyBytes);
      } catch (e) {
        if (!(e instanceof BodyTooLargeError)) throw e;
        return json(res, 413, { errors: [{ message: e.message, extensions: { code: 'QUERY_TOO_LARGE' } }] });
      }
      return handleGraphql(o.schema, o.context, body, res);
    }
    if (path === '/inspect' || path === '/inspect/') {
      if (req.method === 'POST') return inspect(await readBody(req, INSPECT_MAX_BODY), res);
      if (path === '/inspect')
        return text(res, 405, 'use GET /inspect/<payload> or POST /inspect with the payload as the body');
    }
    if (path.startsWith('/inspect/') && req.method === 'GET') {
      // the payload is the rest of the path, percent-decoded, with "?query" appended when present
      const rest = rawUrl.slice('/inspect/'.length);
      return inspect(percentDecode(rest), res);
    }
    if (path === '/healthz') return text(res, 200, 'ok');
    if (path === '/status' && req.method === 'GET') return json(res, 200, o.status());
    if (path === '/') {
      return text(
        res,
        200,
        'Cartesi v1 node: /graphql, /inspect/<payload>, /status, /healthz; the rollup API for its backend under /host-runner/<secret>/\n',
      );
    }
    const extra = req.method === 'GET' ? o.routes?.(path) : undefined;
    if (!extra) return text(res, 404, `not found: ${path}`);
    if ('json' in extra) return json(res, 200, extra.json);
    if ('file' in extra) return serveFile(res, extra.file, extra.contentType);
    text(res, extra.status, extra.text);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) return void res.end();
      if (e instanceof RollupApiError || e instanceof BodyTooLargeError)
        return text(res, e.status, `${e.message}`);
      if (e instanceof BackendGoneError)
        return text(res, 502, `the backend stopped before answering: ${e.message}`);
      text(res, 500, `internal error: ${(e as Error).message}`);
    });
  });
  // Idle keep-alive sockets stay open longer than clients' own idle timers (Node's agent: 5 s), so a client never
  // sends a request on a socket the server is closing at that moment (ECONNRESET / socket hang up).
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  // the node's own page (GET /graphql) posts to it from its own origin
  access = withOrigins(access, [`http://127.0.0.1:${addr.port}`, `http://localhost:${addr.port}`]);
  return { server, url: `http://${o.host}:${addr.port}` };
}
