// The services `pnpm dev` runs, started in-process on free ports for the browser tests: the devnet (chain, node and the
// real backend) with the small shared model, and a Vite dev server pointed at it.
import { createServer as createNetServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DevnetOptions } from '@tt/devnet';
import { sharedModel, startTestDevnet, type TestDevnet } from '@tt/devnet/testing';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer, type Plugin, type ViteDevServer } from 'vite';

export const frontendDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const repoDir = resolve(frontendDir, '..');

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createNetServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

export interface Stack {
  devnet: TestDevnet;
  vite: ViteDevServer;
  url: string;
  stop(): Promise<void>;
}

export async function startStack(
  log: (line: string) => void = () => undefined,
  options: DevnetOptions = {},
): Promise<Stack> {
  // The small llama2.c model in shared/ (beside the repository), so the test needs no download.
  if (sharedModel.missingReason) throw new Error(sharedModel.missingReason);
  // the page's origin is the one web origin the devnet answers (with CORS): it must know it before it starts
  const port = await freePort();
  const devnet = await startTestDevnet({ log, uiOrigins: [`http://127.0.0.1:${port}`], ...options });
  let vite: ViteDevServer | undefined;
  try {
    // The app reads its endpoints from VITE_* at startup (src/config/networks.ts).
    process.env.VITE_DEVNET_RPC_URL = devnet.rpcUrl;
    process.env.VITE_DEVNET_NODE_URL = devnet.nodeUrl;
    process.env.VITE_DEFAULT_NETWORK = 'devnet';
    // A network with nothing behind it, to see how the page says so.
    const closed = await freePort();
    process.env.VITE_COMPOSE_RPC_URL = `http://127.0.0.1:${closed}`;
    process.env.VITE_COMPOSE_NODE_URL = `http://127.0.0.1:${closed}`;
    vite = await createServer({
      root: frontendDir,
      configFile: join(frontendDir, 'vite.config.ts'),
      server: { host: '127.0.0.1', port, strictPort: true, hmr: false },
      // TT_E2E_VITE_CACHE=<empty dir> starts Vite with a cold dependency cache, as on a fresh CI clone.
      logLevel: process.env.TT_E2E_VITE_CACHE ? 'info' : 'warn',
      ...(process.env.TT_E2E_VITE_CACHE ? { cacheDir: process.env.TT_E2E_VITE_CACHE } : {}),
      clearScreen: false,
    });
    await vite.listen();
    const v = vite;
    return {
      devnet,
      vite: v,
      url: `http://127.0.0.1:${port}/`,
      async stop() {
        await v.close().catch(() => undefined);
        await devnet.stop().catch(() => undefined);
      },
    };
  } catch (e) {
    await vite?.close().catch(() => undefined);
    await devnet.stop().catch(() => undefined);
    throw e;
  }
}

/** The UI's Vite dev server alone (the real config, plus any test plugins) on a free port, and its page's URL. */
export async function startUiServer(plugins: Plugin[] = []): Promise<{ vite: ViteDevServer; url: string }> {
  const port = await freePort();
  const vite = await createServer({
    root: frontendDir,
    configFile: join(frontendDir, 'vite.config.ts'),
    plugins,
    server: { host: '127.0.0.1', port, strictPort: true, hmr: false },
    logLevel: 'warn',
    clearScreen: false,
  });
  await vite.listen();
  return { vite, url: `http://127.0.0.1:${port}/` };
}

/**
 * A stand-in for a node's file routes on a free port: `files` by path, with CORS for any origin as a remote node would
 * send; `handle` may answer a request first (return true when it did).
 */
export async function serveFiles(
  files: Record<string, Uint8Array | string>,
  handle?: (req: IncomingMessage, res: ServerResponse) => boolean,
): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const server = createHttpServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (handle?.(req, res)) return;
    const body = files[req.url ?? ''];
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body);
  });
  const port = await freePort();
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
