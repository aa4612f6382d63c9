import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The workspace packages (@tt/client, @tt/llm, @tt/contracts) ship TypeScript sources; Vite compiles them like our own.
export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 2000 },
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1' },
});
