import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/** Tests whose assertions are latencies: run once every other file is done, one at a time. */
const TIMING = ['test/e2e/neighbours.test.ts'];

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
    // Two test files at a time: most of them wait on a database, a socket or a timer, not the CPU. What
    // measures latency (the `timing` project) runs after everything else, alone.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], exclude: TIMING } },
      { extends: true, test: { name: 'timing', include: TIMING, maxWorkers: 1, sequence: { groupOrder: 1 } } },
      // Chromium (Debian's, /usr/bin/chromium) against a gateway on a port, on PGlite.
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], env: { PARLEY_TEST_DB: 'pglite' } } },
      { extends: true, test: { name: 'pglite', include: ['test/integration/**/*.test.ts'], env: { PARLEY_TEST_DB: 'pglite' } } },
      { extends: true, test: { name: 'postgres', include: ['test/integration/**/*.test.ts'], env: { PARLEY_TEST_DB: 'postgres' } } },
    ],
  },
});
