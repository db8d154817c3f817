import { defineConfig } from 'vite';

/**
 * The web console, built into console/dist (shipped in the package and served by `mdis serve`
 * at `/`). `npm run console:dev` serves it with live reload, forwarding the API to a local mdis.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The console is small; one script and one stylesheet keep the page quick to load.
    chunkSizeWarningLimit: 300,
  },
  server: {
    proxy: Object.fromEntries(
      ['/v1', '/docs', '/openapi.json', '/healthz', '/metrics'].map((prefix) => [
        prefix,
        process.env.MDIS_CONSOLE_API ?? 'http://127.0.0.1:7070',
      ]),
    ),
  },
});
