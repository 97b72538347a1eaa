import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// A Node file, but the renderer's lint rules ban node:* imports here too: use import.meta.dirname.
const root = import.meta.dirname;

/**
 * The renderer build. `base: './'` keeps every asset URL relative, so Electron can load
 * dist/renderer/index.html from file:// and `topolab serve` can mount it anywhere.
 * No inline scripts are emitted (the CSP is `script-src 'self'`).
 */
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: `${root}/../dist/renderer`,
    emptyOutDir: true,
    // The module-preload polyfill is an inline script; Chromium and Electron do not need it.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2048,
    sourcemap: true,
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', fs: { allow: [`${root}/..`] } },
});
