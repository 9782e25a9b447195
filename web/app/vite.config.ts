import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** An absolute file path next to this config (no node: imports, so the app's tsconfig needs no Node types). */
const fromHere = (path: string): string => decodeURIComponent(new URL(path, import.meta.url).pathname);
const target = 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/app/',
  plugins: [react()],
  resolve: {
    alias: {
      '@switchboard/protocol': fromHere('../../packages/protocol/src/index.ts'),
      '@switchboard/client': fromHere('../../packages/client/src/index.ts'),
    },
  },
  server: {
    proxy: {
      '/api': { target, changeOrigin: false },
      '/ws': { target, ws: true, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
});
