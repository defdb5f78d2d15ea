import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// Integration tests run twice: on in-memory PGlite (fast, no server) and on the real PostgreSQL.
// Each test file opens its own fresh database, so files run in parallel and in any order.
// graphql 16 ships CJS and ESM builds without an exports map. Node (and so yoga) loads the CJS one;
// left to Vite, our files would get the ESM one, and two GraphQLError classes would mask every coded
// client error as an internal one. So: resolve to the CJS file, and let Node load it.
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    server: { deps: { external: [/node_modules\/graphql\//] } },
    // The end-to-end tests start the compiled build: built once, before every project.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'] } },
      // Chromium (Debian's, /usr/bin/chromium) against a gateway on a port, on PGlite.
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], env: { PARLEY_TEST_DB: 'pglite' } } },
      { extends: true, test: { name: 'pglite', include: ['test/integration/**/*.test.ts'], env: { PARLEY_TEST_DB: 'pglite' } } },
      { extends: true, test: { name: 'postgres', include: ['test/integration/**/*.test.ts'], env: { PARLEY_TEST_DB: 'postgres' } } },
    ],
  },
});
