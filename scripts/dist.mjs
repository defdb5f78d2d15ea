// The compiled gateway in dist/ (tsconfig.build.json): whether it is older than the sources, and
// building it. Used by scripts/run.mjs (npm start and the CLIs) and by the tests' global setup.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/**
 * Written after a build that succeeded, removed before each build: tsc's own .tsbuildinfo is no
 * witness (an incremental build with nothing to do leaves it untouched, and a build that fails the
 * type check still writes it, with the JavaScript).
 */
const stampOf = (dir) => path.join(dir, 'dist', '.built');

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

/** The TypeScript compiler's entry point, or null when TypeScript is not installed. */
function typescriptCompiler() {
  try {
    return path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  } catch {
    return null;
  }
}

/** Builds dist/ (`npm run build`); throws when the build fails, and then dist/ counts as stale. */
export function build() {
  const tsc = typescriptCompiler();
  if (tsc === null) throw new Error('TypeScript is not installed: run `npm ci` (with the development dependencies) first.');
  rmSync(stampOf(root), { force: true });
  const built = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`the build failed (exit ${String(built.status)})`);
  writeFileSync(stampOf(root), `${new Date().toISOString()}\n`);
}

/**
 * Builds dist/ when it is stale. Without TypeScript installed, a shipped dist/ is run as it is, and a
 * missing one is an error that says what to do.
 */
export function ensureBuilt() {
  if (!distIsStale()) return;
  if (typescriptCompiler() === null) {
    if (existsSync(stampOf(root))) return;
    throw new Error('dist/ is missing and TypeScript is not installed: run `npm run build` where it is, and ship dist/.');
  }
  console.error('parley: building dist/ (npm run build)...');
  build();
}
