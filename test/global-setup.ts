// Before any test: the compiled build the end-to-end tests start (test/helpers/entry.ts), rebuilt
// when the sources are newer — once, not in every test file at the same time.
import { ensureBuilt } from '../scripts/dist.mjs';

export default function setup(): void {
  ensureBuilt();
}
