// The services `pnpm dev` runs, started in-process on free ports for the browser tests: the devnet (chain, node and the
// real backend) with the small shared model, and a Vite dev server pointed at it.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDevnet, type Devnet } from '@tt/devnet';
import { createServer, type ViteDevServer } from 'vite';
import { sharedModels } from '@tt/llm/testing';

export const frontendDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const repoDir = resolve(frontendDir, '..');

/** The small llama2.c model shipped in shared/ (beside the repository), so the test needs no download. */
export function sharedModel(): { checkpoint: string; tokenizer: string } {
  const models = sharedModels();
  if (models.missingReason) throw new Error(models.missingReason);
  return { checkpoint: models.checkpoint, tokenizer: models.tokenizer };
}

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
  devnet: Devnet;
  vite: ViteDevServer;
  url: string;
  stop(): Promise<void>;
}

export async function startStack(log: (line: string) => void = () => undefined): Promise<Stack> {
  const stateDir = mkdtempSync(join(tmpdir(), 'tt-frontend-e2e-'));
  const model = sharedModel();
  const devnet = await startDevnet({
    ports: { rpc: 0, node: 0 },
    stateDir,
    fresh: true,
    ...model,
    modelName: 'stories260K',
    log,
  });
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
    const port = await freePort();
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
        rmSync(stateDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await vite?.close().catch(() => undefined);
    await devnet.stop().catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true });
    throw e;
  }
}
