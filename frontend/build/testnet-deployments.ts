// A testnet's deployments (contract addresses, model, deployment block) belong to the UI's build, not to the node the
// UI talks to: a dishonest node could otherwise name its own contracts and its own model, and the UI would "verify"
// them. VITE_TESTNET_DEPLOYMENTS_FILE names the deployments file (contracts/deployments/<network>.json, written by the
// deploy script); its content is checked and built into the page as `import.meta.env.VITE_TESTNET_DEPLOYMENTS`.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadEnv, type Plugin } from 'vite';

export function testnetDeployments(): Plugin {
  return {
    name: 'tt-testnet-deployments',
    config(config, { mode }) {
      const root = config.root ?? process.cwd();
      const env = { ...loadEnv(mode, root, 'VITE_'), ...process.env };
      const file = env.VITE_TESTNET_DEPLOYMENTS_FILE?.trim();
      if (!file) return;
      let text: string;
      try {
        text = readFileSync(resolve(root, file), 'utf8');
        JSON.parse(text);
      } catch (e) {
        throw new Error(`VITE_TESTNET_DEPLOYMENTS_FILE=${file}: ${(e as Error).message}`);
      }
      return { define: { 'import.meta.env.VITE_TESTNET_DEPLOYMENTS': JSON.stringify(text) } };
    },
  };
}
