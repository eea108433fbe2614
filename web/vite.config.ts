import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev` proxies the API to a controller on the default address, so the app can be
// worked on with hot reload while `./run.sh` serves the API.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: {
    proxy: { '/api': 'http://127.0.0.1:5080', '/healthz': 'http://127.0.0.1:5080' },
  },
});
