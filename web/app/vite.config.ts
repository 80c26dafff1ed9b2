import { defineConfig } from 'vite';

// The Go server embeds dist/ and serves it at "/" (web/app/app.go); during
// `npm run dev` Vite proxies the API to a server on ORCHESTRATOR_URL.
const api = process.env.ORCHESTRATOR_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: 'assets',
    reportCompressedSize: true,
  },
  server: {
    proxy: {
      '/graphql': { target: api, ws: true },
      '/auth': api,
      '/playground': api,
    },
  },
});
