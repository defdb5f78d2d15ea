// The compiled gateway in dist/ (tsconfig.build.json): whether it is older than the sources, and
// building it. Used by scripts/run.mjs (npm start and the CLIs) and by the tests' global setup.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stampOf = (dir) => path.join(dir, 'dist', '.tsbuildinfo');

/**
 * The newest modification time of the TypeScript sources under `dir`. Prisma's generated client is
 * left out: every install regenerates it (`prisma generate`), unchanged unless prisma/schema.prisma
 * changed, which is looked at instead.
 */
function newestSource(dir, generated) {
  let newest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    if (item.isDirectory() && full === generated) continue;
    if (item.isDirectory()) newest = Math.max(newest, newestSource(full, generated));
    else if (item.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Whether `dir`'s dist/ (the project's by default) is missing, or older than its src/ or the build's settings. */
export function distIsStale(dir = root) {
  const stamp = stampOf(dir);
  if (!existsSync(stamp)) return true;
  const settings = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'prisma/schema.prisma']
    .map((file) => path.join(dir, file))
    .filter((file) => existsSync(file))
    .map((file) => statSync(file).mtimeMs);
  return Math.max(newestSource(path.join(dir, 'src'), path.join(dir, 'src', 'generated')), ...settings) > statSync(stamp).mtimeMs;
}

/**
 * Builds dist/ when it is stale. Without TypeScript installed, a shipped dist/ is run as it is, and a
 * missing one is an error that says what to do.
 */
export function ensureBuilt() {
  if (!distIsStale()) return;
  let tsc;
  try {
    tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  } catch {
    if (existsSync(stampOf(root))) return;
    throw new Error('dist/ is missing and TypeScript is not installed: run `npm run build` where it is, and ship dist/.');
  }
  console.error('parley: building dist/ (npm run build)...');
  const built = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`the build failed (exit ${String(built.status)})`);
}
