#!/usr/bin/env node
// Runs a compiled entry point of Parley with plain Node: `node scripts/run.mjs main` runs dist/main.js,
// `node scripts/run.mjs cli/keys create ...` dist/cli/keys.js. When dist/ is missing or older than the
// sources it builds first (scripts/dist.mjs), so a fresh clone's `npm start` just works; a deployment
// that installs without dev dependencies ships a built dist/ and never builds here.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt, root } from './dist.mjs';

const [entry = 'main', ...args] = process.argv.slice(2);
try {
  ensureBuilt();
} catch (error) {
  console.error(`parley: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const script = path.join(root, 'dist', `${entry}.js`);
if (!existsSync(script)) {
  console.error(`parley: no entry point dist/${entry}.js`);
  process.exit(1);
}
process.argv = [process.argv[0], script, ...args];
await import(pathToFileURL(script).href);
