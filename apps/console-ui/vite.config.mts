import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
// The dev server proxies every API path to a running console-server (CONSOLE_SERVER, default :8090).
const target = process.env.CONSOLE_SERVER ?? 'http://localhost:8090';
const proxied = ['/apis', '/api', '/login', '/logout', '/avatars'];

export default defineConfig({
  root,
  base: '/console/',
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/libs/console-users/console-ui', import.meta.url)),
    emptyOutDir: true,
    // Halo's components bundle is one module; keep it (and Vue) apart from the app so the app chunks stay small.
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: Object.fromEntries(proxied.map((path) => [path, { target, changeOrigin: false }])),
  },
});
