import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

/**
 * Builds the desktop shell: the main process (plus the lab's utility-process entry) and the
 * preload. The renderer is built separately (`npm run build:renderer`, into dist/renderer),
 * so the browser build served by `topolab serve` and the desktop app load the same files.
 */
const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'dist/electron/main'),
      emptyOutDir: true,
      // The lab runs in its own utility process; both entries share core/ chunks.
      rollupOptions: {
        input: {
          index: resolve(root, 'electron/main/index.ts'),
          lab: resolve(root, 'electron/lab/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'dist/electron/preload'),
      emptyOutDir: true,
      // A sandboxed preload cannot load modules: bundle everything into one CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
});
