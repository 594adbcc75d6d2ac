import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** The API server the dev server proxies to (`npm start` listens on 8080 by default). */
const apiTarget = process.env.PARLEY_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: {
      // One entry covers the REST API and the /api/ws WebSocket upgrade.
      '/api': { target: apiTarget, changeOrigin: false, ws: true },
    },
  },
});
