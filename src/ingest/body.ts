// Request bodies → items. JSON bodies are read whole (bounded); NDJSON is read line by line as it
// streams in, so a file of any size passes through in constant memory.
import { firstJsonErrorIndex } from './json-error.js';
import type { IncomingItem } from './types.js';
import { MAX_ITEM_BYTES } from './types.js';

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
    readonly byteOffset?: number,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/** A JSON (not NDJSON) body may hold many items; past this, send NDJSON. */
export const MAX_JSON_BODY_BYTES = 64 * 1024 * 1024;

/** Where the JSON text first goes wrong, as a byte offset into its UTF-8 encoding. */
export function jsonErrorOffset(text: string): number {
  return Buffer.byteLength(text.slice(0, firstJsonErrorIndex(text)), 'utf8');
}

function describeJsonError(text: string, offsetChars: number): string {
  if (offsetChars >= text.length) return 'unexpected end of input';
  const near = text.slice(offsetChars, offsetChars + 20).replace(/\s+/g, ' ');
  return `unexpected ${JSON.stringify(near)}`;
}

function malformed(text: string, base: number): { offset: number; message: string } {
  const index = firstJsonErrorIndex(text);
  const offset = base + Buffer.byteLength(text.slice(0, index), 'utf8');
  return { offset, message: `malformed JSON at byte offset ${offset}: ${describeJsonError(text, index)}` };
}

async function readBounded(stream: ReadableStream<Uint8Array> | null, limit: number): Promise<Buffer> {
  if (!stream) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) throw new BodyError(413, `the body is over ${limit} bytes; send large batches as application/x-ndjson`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export type JsonBody = { kind: 'one'; value: unknown; bytes: number } | { kind: 'many'; values: unknown[] };

/** A JSON body: one document or an array of them. */
export async function readJsonBody(stream: ReadableStream<Uint8Array> | null): Promise<JsonBody> {
  const buffer = await readBounded(stream, MAX_JSON_BODY_BYTES);
  const text = buffer.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const { offset, message } = malformed(text, 0);
    throw new BodyError(400, message, offset);
  }
  if (Array.isArray(value)) return { kind: 'many', values: value };
  if (value !== null && typeof value === 'object') {
    if (buffer.byteLength > MAX_ITEM_BYTES) {
      throw new BodyError(413, `the document is ${buffer.byteLength} bytes; a session may be at most ${MAX_ITEM_BYTES} bytes (10 MB)`);
    }
    return { kind: 'one', value, bytes: buffer.byteLength };
  }
  throw new BodyError(400, 'the body must be a JSON object or an array of objects');
}

/**
 * Size of an item inside a JSON array (or a mutation's list, a vendor API page) as JSON text, for the
 * per-item limit. JSON.stringify recurses, so a value nested some thousands of levels deep overflows the
 * stack — and would have failed the whole batch; such a value is measured by `nestedJsonBytes` instead,
 * and the item is then rejected by validation with the path at which it nests too deeply.
 */
export function jsonBytes(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  } catch (error) {
    if (error instanceof RangeError) return nestedJsonBytes(value);
    throw error;
  }
}

/**
 * The UTF-8 length of `JSON.stringify(value)` for JSON values (what JSON.parse and GraphQL variables
 * produce), measured without recursion: a container's punctuation and member names are counted when it
 * is reached, its values are measured later from a stack, so depth costs no call stack.
 */
export function nestedJsonBytes(value: unknown): number {
  const leafBytes = (leaf: unknown) => Buffer.byteLength(JSON.stringify(leaf) ?? '', 'utf8');
  let bytes = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (Array.isArray(next)) {
      // Brackets and commas; an undefined (or function) item is written as null, as JSON.stringify does.
      bytes += 2 + Math.max(0, next.length - 1);
      for (const item of next) pending.push(item === undefined || typeof item === 'function' ? null : item);
    } else if (next !== null && typeof next === 'object') {
      // Braces, commas, and each member's name and colon; undefined (or function) members are left out.
      const members = Object.entries(next).filter(([, member]) => member !== undefined && typeof member !== 'function');
      bytes += 2 + Math.max(0, members.length - 1);
      for (const [key, member] of members) {
        bytes += leafBytes(key) + 1;
        pending.push(member);
      }
    } else {
      bytes += leafBytes(next);
    }
  }
  return bytes;
}

/**
 * NDJSON: one item per line, blank lines ignored. A line that does not parse, or is over the item
 * limit, becomes a rejected item (with the byte offset) and the stream goes on. `start` says where in
 * the whole file the stream begins (the import CLI resumes mid-file), so indexes and offsets stay
 * those of the file.
 */
export async function* ndjsonItems(
  stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | null,
  start: { offset: number; index: number } = { offset: 0, index: 0 },
): AsyncGenerator<IncomingItem & { endOffset: number }> {
  if (!stream) return;
  let parts: Buffer[] = [];
  let partsBytes = 0;
  let lineStart = start.offset; // byte offset of the current line in the whole file
  let oversized = false;
  let index = start.index;

  function* finishLine(tail: Buffer, endOffset: number): Generator<IncomingItem & { endOffset: number }> {
    const line = partsBytes + tail.byteLength > MAX_ITEM_BYTES || oversized ? null : Buffer.concat([...parts, tail]);
    const bytes = partsBytes + tail.byteLength;
    const start = lineStart;
    parts = [];
    partsBytes = 0;
    lineStart = endOffset + 1;
    const wasOversized = oversized;
    oversized = false;
    if (line === null || wasOversized) {
      yield { index: index++, endOffset, rejection: { path: '$', message: `the line at byte offset ${start} is over ${MAX_ITEM_BYTES} bytes (10 MB)` } };
      return;
    }
    const text = line.toString('utf8').replace(/\r$/, '');
    if (text.trim() === '') return;
    const itemIndex = index++;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      yield { index: itemIndex, endOffset, rejection: { path: '$', message: malformed(text, start).message } };
      return;
    }
    yield { index: itemIndex, endOffset, value, bytes };
  }

  let offset = start.offset;
  for await (const raw of stream as AsyncIterable<Uint8Array>) {
    let chunk = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    let newline = chunk.indexOf(10);
    while (newline !== -1) {
      yield* finishLine(chunk.subarray(0, newline), offset + newline);
      offset += newline + 1;
      chunk = chunk.subarray(newline + 1);
      newline = chunk.indexOf(10);
    }
    offset += chunk.byteLength;
    if (oversized) continue;
    if (partsBytes + chunk.byteLength > MAX_ITEM_BYTES) {
      // Stop buffering: the line is rejected whatever follows, and memory stays bounded.
      oversized = true;
      parts = [];
      partsBytes = 0;
      continue;
    }
    if (chunk.byteLength > 0) {
      parts.push(Buffer.from(chunk));
      partsBytes += chunk.byteLength;
    }
  }
  if (partsBytes > 0 || oversized) yield* finishLine(Buffer.alloc(0), offset);
}
