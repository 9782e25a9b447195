import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const serverUrl = 'http://127.0.0.1:8080';

export default defineConfig({
  root: here,
  base: '/admin/',
  plugins: [react()],
  resolve: {
    alias: {
      '@switchboard/protocol': path.resolve(here, '../../packages/protocol/src/index.ts'),
      '@switchboard/client': path.resolve(here, '../../packages/client/src/index.ts'),
    },
  },
  build: {
    outDir: path.resolve(here, 'dist'),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    port: 5174,
    strictPort: true,
    proxy: {
      '/api': { target: serverUrl },
      '/ws': { target: serverUrl, ws: true },
    },
  },
  preview: { port: 4174 },
});
