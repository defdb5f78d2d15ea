// Vendor export files → ingest items, starting where a checkpoint left off. NDJSON is streamed from the
// saved byte offset (constant memory for any size); a JSON document is read whole, within a limit.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { jsonBytes, jsonErrorOffset, MAX_JSON_BODY_BYTES, ndjsonItems } from '../ingest/body.js';
import type { IncomingItem } from '../ingest/types.js';
import { ENVELOPE_ROUTES, isEnvelope } from '../ingest/http.js';
import { IMPORT_VENDORS, type ImportVendor } from './options.js';

/** One item of the file, with the byte offset just after it (NDJSON), for the checkpoint. */
export type SourceItem = IncomingItem & { nextOffset: number };

/** The file cannot be imported as given (exit 2, like any other usage error). */
export class SourceError extends Error {
  override name = 'SourceError';
}

/** NDJSON from `start` (a line boundary saved in a checkpoint); indexes and offsets count from the file's start. */
export async function* ndjsonFileItems(file: string, start: { offset: number; index: number }): AsyncGenerator<SourceItem> {
  // 1 MiB reads: far fewer syscalls and event-loop turns than the 64 KiB default on large exports.
  const stream = createReadStream(file, { start: start.offset, highWaterMark: 1024 * 1024 });
  for await (const { endOffset, ...item } of ndjsonItems(stream, start)) {
    // The last line may lack its newline: its end offset is then the file's size, never past it.
    yield { ...item, nextOffset: endOffset + 1 };
  }
}

/** A JSON file's items: one document, an array of them, or (Genesys kinds) a page envelope. */
export async function readJsonFileItems(file: string, size: number, vendor: ImportVendor): Promise<unknown[]> {
  if (size > MAX_JSON_BODY_BYTES) {
    const mib = (n: number) => `${Math.round(n / (1024 * 1024))} MiB`;
    throw new SourceError(
      `${file} is ${mib(size)}; a .json file is read whole and may be at most ${mib(MAX_JSON_BODY_BYTES)}. ` +
        `Convert it to NDJSON (one item per line, streamed in constant memory), e.g. ` +
        `jq -c '.[]' export.json > export.ndjson  (a Genesys page: jq -c '.entities[]')`,
    );
  }
  const text = await readFile(file, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SourceError(`${file} is not valid JSON: malformed at byte offset ${jsonErrorOffset(text)}`);
  }
  if (Array.isArray(value)) return value;
  if (ENVELOPE_ROUTES.has(IMPORT_VENDORS[vendor]) && isEnvelope(value)) return value.entities;
  if (value !== null && typeof value === 'object') return [value];
  throw new SourceError(`${file} must hold a JSON object or an array of objects`);
}

/** Items of a JSON file from `startIndex` on (the items before it were committed by an earlier run). */
export function* jsonFileItems(values: readonly unknown[], startIndex: number): Generator<SourceItem> {
  for (let index = startIndex; index < values.length; index++) {
    const value = values[index];
    yield { index, value, bytes: jsonBytes(value), nextOffset: 0 };
  }
}
