// npx tsx scripts/persisted-operations.ts — writes persisted-operations.json (repository root): every
// GraphQL operation in README.md's ```graphql blocks and its subscription examples, plus GraphiQL's
// default query and the monitor page's operations, keyed by the SHA-256 (hex) of the exact text a client sends. A key created with
// --persisted-only may run only these (see README "Security"). Pass another path to write elsewhere.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Kind, parse } from 'graphql';
import { DEFAULT_QUERY } from '../src/gateway.js';
import * as monitorOperations from '../web/src/operations.js';
import { MONITOR_KEY_CHECK } from '../web/src/operations.js';
import { operationHash } from '../src/security/persisted.js';

const root = new URL('../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');

/** Each operation of a block on its own (a block may hold several one-line operations). */
function operationsOf(block: string): string[] {
  const document = parse(block);
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length === 1 || document.definitions.length !== operations.length) return [block.trim()];
  return operations.map((o) => block.slice(o.loc!.start, o.loc!.end));
}

export function persistedDocuments(): string[] {
  const documents: string[] = [];
  for (const match of readme.matchAll(/```graphql\n([\s\S]*?)```/g)) documents.push(...operationsOf(match[1]!));
  for (const match of readme.matchAll(/query: '((?:subscription|query)[^']*)'/g)) documents.push(match[1]!);
  documents.push(DEFAULT_QUERY);
  // The monitor page's operations (and its key check), so a --persisted-only key can use it.
  for (const value of Object.values(monitorOperations)) if (typeof value === 'string' && /^\s*(query|subscription)\b/.test(value)) documents.push(value);
  documents.push(MONITOR_KEY_CHECK);
  return [...new Set(documents)];
}

/** The file's content: every document by its hash, sorted by hash. */
export function persistedStore(): Record<string, string> {
  return Object.fromEntries(
    persistedDocuments()
      .map((d) => [operationHash(d), d])
      .sort(([a], [b]) => a!.localeCompare(b!)),
  );
}

// Run as a script (not imported by the staleness test): write the file.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const target = process.argv[2] ?? fileURLToPath(new URL('persisted-operations.json', root));
  const store = persistedStore();
  writeFileSync(target, `${JSON.stringify(store, null, 2)}\n`);
  console.log(`wrote ${Object.keys(store).length} persisted operations to ${target}`);
}
