// The node's single HTTP server, laid out like the Cartesi CLI 1.5 devnet on port 8080:
// /graphql, /inspect, /host-runner/* (and /rollup/*, the node's own prefix), /healthz, plus whatever GET routes the
// embedding application adds (the Trust-and-Teach devnet: its deployments file and the model and engine files).
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InspectResponse } from '@tt/cartesi-v1';
import { hexlify } from 'ethers';
import type { GraphQLSchema } from 'graphql';
import { graphqlPage, handleGraphql } from './graphql/http.js';
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
}

// a voucher, notice or report can carry up to ~2 MiB of payload: 4 MiB of hex plus JSON
const MAX_BODY = 16 * 1024 * 1024;
const INSPECT_MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new RollupApiError(`request body larger than ${limit} bytes`, 413));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
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
  const rollup = async (route: string, req: IncomingMessage, res: ServerResponse) => {
    if (o.inspector !== o.hostRunner)
      return text(
        res,
        404,
        'this node runs its backend inside the Cartesi machine: there is no rollup API for a host backend',
      );
    if (req.method !== 'POST') return text(res, 405, `use POST for /${route}`);
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

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', '*');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const rawUrl = req.url ?? '/';
    const qIndex = rawUrl.indexOf('?');
    const path = qIndex === -1 ? rawUrl : rawUrl.slice(0, qIndex);

    if (path === '/graphql' || path === '/graphql/') {
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return void res.end(graphqlPage(path));
      }
      return handleGraphql(o.schema, o.context, await readBody(req, MAX_BODY), res);
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
    for (const prefix of ['/host-runner/', '/rollup/']) {
      if (path.startsWith(prefix)) return rollup(path.slice(prefix.length), req, res);
    }
    if (path === '/healthz') return text(res, 200, 'ok');
    if (path === '/status' && req.method === 'GET') return json(res, 200, o.status());
    if (path === '/') {
      return text(
        res,
        200,
        'Cartesi v1 node: /graphql, /inspect/<payload>, /host-runner/{finish,voucher,notice,report,exception}, /status, /healthz\n',
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
      if (e instanceof RollupApiError) return text(res, e.status, e.message);
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
  return { server, url: `http://${o.host}:${addr.port}` };
}
