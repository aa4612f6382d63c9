import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { enginePins } from './build/engine-pins.ts';
import { testnetDeployments } from './build/testnet-deployments.ts';

// Cross-origin isolation, so the page may use SharedArrayBuffer and Verify can run the engine on several threads
// (@tt/llm's threaded build). Every cross-origin request the page makes is CORS (the devnet answers with
// Access-Control-Allow-Origin), which require-corp allows. A production host must send the same two headers; without
// them Verify still works, on one thread.
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// The workspace packages (@tt/client, @tt/llm, @tt/contracts) ship TypeScript sources; Vite compiles them like our own.
// enginePins: the sha256 of the bundled engine builds, which Verify checks before running one. testnetDeployments: a
// testnet's contract addresses, from a file given at build time (never from the node the UI checks).
export default defineConfig({
  plugins: [react(), enginePins(), testnetDeployments()],
  // workers are bundled with their own plugins: the model worker imports the pins
  worker: { format: 'es', plugins: () => [enginePins()] },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        // Libraries change less often than the app: separate files cache separately.
        manualChunks: (id) => {
          if (!id.includes('node_modules')) return undefined;
          if (id.includes('@web3-onboard') || id.includes('viem') || id.includes('svelte')) return 'wallet';
          if (id.includes('@apollo') || id.includes('graphql')) return 'graphql';
          if (id.includes('ethers') || id.includes('@noble') || id.includes('@adraffy')) return 'ethers';
          if (id.includes('react')) return 'react';
          return undefined;
        },
      },
    },
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: true, headers: crossOriginIsolation },
  preview: { host: '127.0.0.1', headers: crossOriginIsolation },
});
