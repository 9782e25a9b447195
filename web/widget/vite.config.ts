import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/*
 * Two standalone classic-script bundles (IIFE), so they load cross-origin from a plain <script>
 * without CORS, and nothing is shared or code-split between them:
 *   dist/loader.js  the tiny launcher every host page loads (budget 5 KB gzip)
 *   dist/panel.js   the chat panel, loaded on demand by the loader (budget 40 KB gzip)
 * plus dist/demo.html, the demo company page. `vite build` builds both environments.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(here, 'dist');
const buildId = Date.now().toString(36);

function demoPage(): Plugin {
  return {
    name: 'switchboard-demo-page',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'demo.html', source: readFileSync(path.resolve(here, 'demo.html'), 'utf8') });
    },
  };
}

const bundle = (name: 'loader' | 'panel', entry: string, first: boolean) => ({
  consumer: 'client' as const,
  build: {
    outDir,
    emptyOutDir: first,
    copyPublicDir: false,
    sourcemap: true,
    minify: true,
    target: 'es2020',
    lib: {
      entry: path.resolve(here, entry),
      name: `switchboard_${name}`,
      formats: ['iife' as const],
      fileName: () => `${name}.js`,
    },
  },
});

export default defineConfig({
  root: here,
  base: '/widget/',
  publicDir: false,
  define: { __BUILD_ID__: JSON.stringify(buildId) },
  resolve: {
    alias: {
      '@switchboard/protocol': path.resolve(here, '../../packages/protocol/src/index.ts'),
    },
  },
  plugins: [
    {
      ...demoPage(),
      applyToEnvironment: (environment) => environment.name === 'loader',
    },
  ],
  environments: {
    loader: bundle('loader', 'src/loader.ts', true),
    panel: bundle('panel', 'src/panel/main.ts', false),
  },
  builder: {
    async buildApp(builder) {
      // In order: the loader's build empties dist/ first.
      await builder.build(builder.environments.loader!);
      await builder.build(builder.environments.panel!);
    },
  },
});
