#!/usr/bin/env node
// `npm run build`: src/ compiled to dist/ (scripts/dist.mjs), stamped only when the build succeeds.
import { build } from './dist.mjs';

try {
  build();
} catch (error) {
  console.error(`parley: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
