// The /monitor page: built by `npm run build` (scripts/dist.mjs) into dist/web, which the gateway serves
// (src/monitor-route.ts). Everything it needs is bundled: the page asks nothing of any other host.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/monitor/',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // Fonts and small images inline rather than extra files; nothing is fetched from a CDN.
    assetsInlineLimit: 8192,
    sourcemap: true,
  },
  logLevel: 'warn',
});
