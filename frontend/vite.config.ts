import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The workspace packages (@tt/client, @tt/llm, @tt/contracts) ship TypeScript sources; Vite compiles them like our own.
export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
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
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1' },
});
