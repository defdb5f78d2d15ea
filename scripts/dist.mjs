// The compiled gateway in dist/ (tsconfig.build.json): whether it is older than the sources, and
// building it. Used by scripts/run.mjs (npm start and the CLIs) and by the tests' global setup.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.tsbuildinfo');

/** The newest modification time of the TypeScript sources under `dir`. */
function newestSource(dir) {
  let newest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    if (item.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (item.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Whether dist/ is missing, or older than src/ or the build's settings. */
export function distIsStale() {
  if (!existsSync(stamp)) return true;
  const settings = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json']
    .map((file) => path.join(root, file))
    .filter((file) => existsSync(file))
    .map((file) => statSync(file).mtimeMs);
  return Math.max(newestSource(path.join(root, 'src')), ...settings) > statSync(stamp).mtimeMs;
}

/** Builds dist/ when it is stale; throws with what to do when it cannot (no TypeScript installed). */
export function ensureBuilt() {
  if (!distIsStale()) return;
  let tsc;
  try {
    tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  } catch {
    throw new Error(
      'dist/ is missing or older than src/, and TypeScript is not installed (a production install?): run `npm run build` where it is, and ship dist/.',
    );
  }
  console.error('parley: building dist/ (npm run build)...');
  const built = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`the build failed (exit ${String(built.status)})`);
}
