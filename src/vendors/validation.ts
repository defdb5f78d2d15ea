// What every vendor's validate.ts shares: one way to build the Ajv instance, one JSON hygiene pass, and
// one translation of Ajv's errors into the ingest contract's `{ path, message }` (JSONPath, plain English).
// Like ./shared.ts it holds no vendor knowledge, so a vendor folder still reads alone.
import Ajv2020Module from 'ajv/dist/2020.js';
import type { ErrorObject, SchemaObject, ValidateFunction } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { TSchema } from '@sinclair/typebox';
import type { ValidationResult } from '../ingest/types.js';
import { stringProblem } from '../db/storable.js';
import { ANNOTATION_KEYWORDS } from './model-kit.js';

export interface ValidationError {
  path: string;
  message: string;
}

/** An item with more errors than this is broken as a whole; listing more would only bloat the reply. */
export const MAX_ERRORS = 20;

/**
 * Vendor documents are a few levels deep (Chatlayer variables are the deepest, user-defined).
 * normalize() and the JSON column both copy values recursively (JSON.stringify, Postgres' jsonb
 * parser), so a hostile 100 000-level array would overflow the stack there; it is refused here instead.
 */
export const MAX_DEPTH = 64;

/**
 * Dates become `timestamptz` columns and, for Genesys turns and Chatlayer webhook messages, message
 * sequences (epoch ms x 1000 + slot, which must stay below 2^53: year 2255). ISO 8601 and Ajv's
 * `date-time` format allow years 0000-9999, which Postgres (no year 0) or the sequence cannot hold, and
 * "0001-01-01" is a common serialiser stand-in for "no date". No bot session happened before 1970 or
 * after 2199, so that window is what Parley accepts.
 */
export const MIN_DATE_MS = Date.UTC(1970, 0, 1);
export const MAX_DATE_MS = Date.UTC(2200, 0, 1);
export const DATE_RANGE_MESSAGE = 'must be a date between 1970 and 2199';
export const DATE_TIME_MESSAGE = 'must be a date-time (ISO 8601) string';
export const EPOCH_MILLIS_MESSAGE = 'must be epoch milliseconds (an integer) between 1970 and 2199';
export const SAFE_INTEGER_MESSAGE = 'must be a safe integer (between -9007199254740991 and 9007199254740991)';

// Ajv is CommonJS: under NodeNext the default import is typed as the module, whose `default` is the
// class (at run time both are the class).
const Ajv2020 = Ajv2020Module.default;
export type Ajv = InstanceType<typeof Ajv2020>;

function rfc3339Validator(): (value: string) => boolean {
  const format = fullFormats['date-time'];
  if (typeof format === 'object' && !(format instanceof RegExp) && typeof format.validate === 'function') {
    // The definition is typed for string and number formats alike; date-time's is a string validator.
    const validate = format.validate as (value: string) => unknown;
    return (value) => validate(value) === true;
  }
  throw new Error('ajv-formats no longer exposes its date-time validator as a function');
}
const isRfc3339 = rfc3339Validator();

/** Why a string is not a date Parley can store, or null if it is one. */
export function dateTimeProblem(value: string): string | null {
  // Ajv-formats' RFC 3339 check, plus what it lets through that `new Date()` cannot parse (leap second
  // 23:59:60, offsets like "+01"): normalize() would otherwise silently lose the date.
  if (!isRfc3339(value)) return DATE_TIME_MESSAGE;
  const ms = new Date(value).getTime();
  if (Number.isNaN(ms)) return DATE_TIME_MESSAGE;
  if (ms < MIN_DATE_MS || ms >= MAX_DATE_MS) return DATE_RANGE_MESSAGE;
  return null;
}

/** Ajv 2020-12 with the options every vendor schema is compiled under. */
function createAjv(allErrors: boolean): Ajv {
  const ajv = new Ajv2020({
    allErrors,
    // strict also implies strictNumbers: NaN/Infinity (JSON.parse turns 1e999 into Infinity) are not numbers.
    strict: true,
    // Chatlayer webhook timestamps are ISO strings or epoch milliseconds.
    allowUnionTypes: true,
    // The caller's document must come back exactly as sent: no defaults, no coercion, nothing removed.
    useDefaults: false,
    coerceTypes: false,
    removeAdditional: false,
  });
  // The one format the vendor schemas use; tightened as `dateTimeProblem` explains. Errors are worded
  // from the value itself in `toValidationErrors`.
  ajv.addFormat('date-time', { type: 'string', validate: (value: string) => dateTimeProblem(value) === null });
  // JSON Schema's "integer" accepts 1e300; Parley keeps integers exact (sequences become BigInt).
  ajv.addKeyword({
    keyword: 'safeInteger',
    type: 'number',
    schemaType: 'boolean',
    errors: true,
    // A non-integer is the `type` keyword's error; reporting it twice would only add noise.
    validate: (enabled: boolean, data: number) => !enabled || !Number.isInteger(data) || Number.isSafeInteger(data),
  });
  // The vendor models' annotations (./model-kit.ts): read by Parley, ignored by validation.
  ajv.addVocabulary([...ANNOTATION_KEYWORDS]);
  // Timestamps sent as epoch milliseconds obey the same window as date-time strings.
  ajv.addKeyword({
    keyword: 'epochMillis',
    type: 'number',
    schemaType: 'boolean',
    errors: true,
    validate: (enabled: boolean, data: number) => !enabled || (Number.isSafeInteger(data) && data >= MIN_DATE_MS && data < MAX_DATE_MS),
  });
  return ajv;
}

/**
 * Above this many JSON nodes an item is checked fail-fast (first schema error only). With allErrors, a
 * 10 MB array of five million wrong items made Ajv build five million error objects (about 1 GB of heap,
 * seconds of CPU) for a reply that shows 20 of them; real sessions are far below this size.
 */
export const ALL_ERRORS_NODE_LIMIT = 50_000;

/**
 * A schema compiled for validation both ways (reporting every error, and stopping at the first), and,
 * where the vendor's model requires more than Parley does, once more as the vendor wrote it: what an
 * accepted document lacks of it is reported as warnings.
 */
export interface CompiledSchema<T> {
  all: ValidateFunction<T>;
  first: ValidateFunction<T>;
  /** The vendor's own required-ness; null when Parley requires the same. */
  vendor: ValidateFunction<T> | null;
}

// One instance per mode for the whole process. Each schema is compiled once, when first used.
let instances: { all: Ajv; first: Ajv } | undefined;

/** Keywords that check a value: the lenient schema already ran them, so the vendor's is asked only for `required`. */
const VALUE_KEYWORDS = new Set(['format', 'safeInteger', 'epochMillis', 'minLength']);

/**
 * The vendor's own required-ness of a model: each object's `required` plus the members the model marks
 * `vendorRequired`, and none of the value checks (the lenient schema ran them).
 */
function vendorRequiredSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(vendorRequiredSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (VALUE_KEYWORDS.has(key)) continue;
    out[key] =
      key === 'properties' || key === '$defs' || key === 'patternProperties'
        ? Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, sub]) => [name, vendorRequiredSchema(sub)]))
        : vendorRequiredSchema(value);
  }
  const properties = (node as { properties?: Record<string, { vendorRequired?: boolean }> }).properties;
  if (properties !== undefined) {
    const required = new Set<string>((node as { required?: string[] }).required ?? []);
    for (const [name, sub] of Object.entries(properties)) if (sub.vendorRequired === true) required.add(name);
    if (required.size > 0) out.required = [...required];
  }
  return out;
}

/**
 * Compiles a vendor model (./model-kit.ts): validated as written (every member optional but the ids),
 * with what the vendor's own model requires reported as warnings.
 */
export function compileModel<T>(model: TSchema): CompiledSchema<T> {
  const schema = model as unknown as SchemaObject;
  const ajv = () => {
    instances ??= { all: createAjv(true), first: createAjv(false) };
    return instances;
  };
  // Compiled on first use, not at load: compiling every vendor's validators took ~0.5 s of the
  // gateway's start-up, before its first answer; now the first document of each kind pays its own.
  let all: ValidateFunction<T> | undefined;
  let first: ValidateFunction<T> | undefined;
  let vendor: ValidateFunction<T> | undefined;
  return {
    get all() {
      all ??= ajv().all.compile<T>(schema);
      return all;
    },
    get first() {
      first ??= ajv().first.compile<T>(schema);
      return first;
    },
    get vendor() {
      vendor ??= ajv().all.compile<T>(vendorRequiredSchema(schema) as SchemaObject);
      return vendor;
    },
  };
}

/** What the vendor's own model requires that an accepted document lacks. */
function vendorWarnings<T>(value: unknown, schema: CompiledSchema<T>): ValidationError[] {
  if (schema.vendor === null || schema.vendor(value)) return [];
  return dedupe(
    (function* () {
      for (const error of schema.vendor?.errors ?? []) {
        if (error.keyword !== 'required') continue;
        const { path } = resolvePointer(value, error.instancePath);
        yield {
          path: path + propertySegment(String((error.params as { missingProperty?: unknown }).missingProperty)),
          message: "is required by the vendor's model; the item was stored without it",
        };
      }
    })(),
  );
}

// ---- paths ----

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function propertySegment(key: string): string {
  if (IDENTIFIER.test(key)) return `.${key}`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this escapes.
  const escaped = key.replace(/[\\']/g, (c) => `\\${c}`).replace(/[\u0000-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `['${escaped}']`;
}

export function indexSegment(index: number): string {
  return `[${String(index)}]`;
}

/** JSONPath of a child: an array index when the parent is an array, a member name otherwise. */
export function childPath(parentPath: string, parent: unknown, key: string | number): string {
  return Array.isArray(parent) && typeof key === 'number' ? parentPath + indexSegment(key) : parentPath + propertySegment(String(key));
}

function ownChild(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return /^(0|[1-9][0-9]*)$/.test(key) ? value[Number(key)] : undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * Ajv's JSON Pointer (`/messages/2/sequenceId`) as JSONPath (`$.messages[2].sequenceId`), and the value
 * found there. The document itself decides index or member: `/attributes/0` is a member named "0".
 */
function resolvePointer(root: unknown, pointer: string): { path: string; value: unknown } {
  let path = '$';
  let value: unknown = root;
  if (pointer === '') return { path, value };
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path = Array.isArray(value) && /^(0|[1-9][0-9]*)$/.test(key) ? path + indexSegment(Number(key)) : path + propertySegment(key);
    value = ownChild(value, key);
  }
  return { path, value };
}

// ---- messages ----

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  array: 'an array',
  object: 'a JSON object',
  null: 'null',
};

function typeMessage(expected: unknown, value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return 'must be a finite number';
  const types = (Array.isArray(expected) ? expected : String(expected).split(',')).map((t) => TYPE_WORDS[String(t)] ?? String(t));
  return `must be ${types.length > 1 ? `${types.slice(0, -1).join(', ')} or ${types[types.length - 1] ?? ''}` : (types[0] ?? 'valid')}`;
}

function errorFor(root: unknown, error: ErrorObject): ValidationError {
  const { path, value } = resolvePointer(root, error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: path + propertySegment(String(params.missingProperty)), message: 'is required' };
    case 'type':
      return { path, message: typeMessage(params.type, value) };
    case 'format':
      return {
        path,
        message:
          typeof value === 'string' && params.format === 'date-time'
            ? (dateTimeProblem(value) ?? DATE_TIME_MESSAGE)
            : `must be a ${String(params.format)} string`,
      };
    case 'safeInteger':
      return { path, message: SAFE_INTEGER_MESSAGE };
    case 'epochMillis':
      return { path, message: EPOCH_MILLIS_MESSAGE };
    case 'minLength':
      return { path, message: params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters long` };
    case 'maxItems':
      return { path, message: `must have at most ${String(params.limit)} items` };
    case 'const':
      return { path, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'enum':
      return { path, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    default:
      return { path, message: error.message ?? 'is invalid' };
  }
}

/** Deduplicated (anyOf branches repeat themselves), in document order of discovery, at most MAX_ERRORS. */
export function dedupe(errors: Iterable<ValidationError>): ValidationError[] {
  const seen = new Set<string>();
  const out: ValidationError[] = [];
  for (const e of errors) {
    const key = `${e.path}\u0000${e.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
    if (out.length === MAX_ERRORS) break;
  }
  return out;
}

/** Converted lazily: an item can carry millions of Ajv errors, and only MAX_ERRORS distinct ones are kept. */
export function* toValidationErrors(root: unknown, errors: readonly ErrorObject[] | null | undefined): Generator<ValidationError> {
  for (const e of errors ?? []) yield errorFor(root, e);
}

// ---- JSON hygiene ----

/**
 * What JSON Schema does not check but storage needs, anywhere in the document: nesting depth, finite
 * numbers, strings (values and member names) Postgres can hold, and JSON values only. Iterative, so
 * depth cannot overflow this walk either.
 */
export function jsonHygiene(root: unknown): { errors: ValidationError[]; fatal: boolean; nodes: number } {
  const errors: ValidationError[] = [];
  let fatal = false;
  let nodes = 0;
  // One frame per open container, so memory follows the depth (bounded), not the width: a 10 MB array
  // of five million numbers must not become five million pending entries.
  interface Frame {
    container: unknown[] | Record<string, unknown>;
    keys: string[] | null;
    next: number;
    path: string;
  }
  const frames: Frame[] = [];

  // The path is built only when needed (an error, or a container to descend into): most nodes are
  // valid leaves, and a string per node would double the walk's cost on large arrays.
  const visit = (value: unknown, parentPath: string, segment: string): void => {
    nodes++;
    if (value === null || typeof value === 'boolean') return;
    if (typeof value === 'string') {
      const problem = stringProblem(value);
      if (problem !== null) errors.push({ path: parentPath + segment, message: problem });
      return;
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) errors.push({ path: parentPath + segment, message: 'must be a finite number' });
      return;
    }
    const path = parentPath + segment;
    if (typeof value !== 'object') {
      errors.push({ path, message: 'must be a JSON value' });
      fatal = true;
      return;
    }
    if (frames.length >= MAX_DEPTH) {
      errors.push({ path, message: `is nested too deeply (more than ${String(MAX_DEPTH)} levels)` });
      fatal = true;
      return;
    }
    if (Array.isArray(value)) frames.push({ container: value as unknown[], keys: null, next: 0, path });
    else frames.push({ container: value as Record<string, unknown>, keys: Object.keys(value), next: 0, path });
  };

  visit(root, '$', '');
  while (frames.length > 0 && errors.length < MAX_ERRORS && !fatal) {
    const frame = frames[frames.length - 1] as Frame;
    if (frame.keys === null) {
      const array = frame.container as unknown[];
      if (frame.next >= array.length) {
        frames.pop();
        continue;
      }
      const i = frame.next++;
      // Indexing rather than iteration: holes (not JSON, but possible from a caller) are seen as undefined.
      visit(array[i], frame.path, indexSegment(i));
    } else {
      if (frame.next >= frame.keys.length) {
        frames.pop();
        continue;
      }
      const key = frame.keys[frame.next++] as string;
      const keyProblem = stringProblem(key);
      if (keyProblem !== null) errors.push({ path: frame.path + propertySegment(key), message: `member name ${keyProblem}` });
      visit((frame.container as Record<string, unknown>)[key], frame.path, propertySegment(key));
    }
  }
  // Stopped early: the count is unknown, so the item is treated as large.
  if (frames.length > 0) nodes = Number.POSITIVE_INFINITY;
  return { errors, fatal, nodes };
}

// ---- helpers for checks beyond the schema ----

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An own member of a JSON object (never one inherited from Object.prototype, e.g. "constructor"). */
export function member(value: unknown, key: string): unknown {
  return isJsonObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

export const NOT_AN_OBJECT: ValidationError = { path: '$', message: 'must be a JSON object' };

/**
 * The common shape of every validator: root must be an object, the document must be storable JSON,
 * then the schema, then the vendor's own checks (which must tolerate a document the schema rejected,
 * so that one pass reports as much as it can).
 */
export function runValidation<T>(
  value: unknown,
  schema: CompiledSchema<T>,
  // A generator, so that a check over millions of items stops once MAX_ERRORS are reported.
  extraChecks: (value: Record<string, unknown>) => Iterable<ValidationError> = () => [],
): ValidationResult<T> {
  if (!isJsonObject(value)) return { ok: false, errors: [NOT_AN_OBJECT] };
  const { errors: hygiene, fatal, nodes } = jsonHygiene(value);
  // Too deep or not JSON: the document cannot be walked safely any further, so stop here.
  if (fatal) return { ok: false, errors: dedupe(hygiene) };
  const validate = nodes > ALL_ERRORS_NODE_LIMIT ? schema.first : schema.all;
  const schemaOk = validate(value);
  const errors = dedupe(
    (function* () {
      yield* hygiene;
      if (!schemaOk) yield* toValidationErrors(value, validate.errors);
      yield* extraChecks(value);
    })(),
  );
  if (errors.length > 0) return { ok: false, errors };
  const warnings = vendorWarnings(value, schema);
  return warnings.length > 0 ? { ok: true, value: value as T, warnings } : { ok: true, value: value as T };
}

// ---- explicit nulls, member order ----

/** Object member names in JavaScript string order (UTF-16 code units), the order canonical JSON uses. */
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The document as Parley keeps it: every object member whose value is `null` removed, at any depth (SDK
 * exports and flow dumps write absent fields as `null`, and no vendor model gives `null` a meaning of its
 * own), and every object's members in the order of their names (JavaScript string order). Array items
 * are kept as they are (they are not fields, and their order is content). In canonical order, plain `JSON.stringify` of a
 * message or document is the same text whichever route it came by (an HTTP body in the vendor's order, a
 * GraphQL input rebuilt in the input type's), so content hashes recognise a replay without sorting keys
 * at every hash. The stored `data` loses nothing: jsonb keeps no member order anyway. The same object comes
 * back when there is nothing to change. Documents nested deeper than MAX_DEPTH are returned as they are:
 * validation refuses them anyway.
 */
export function withoutNulls(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const cleaned = withoutNulls(item, depth + 1);
      if (cleaned !== item) {
        copy ??= value.slice();
        copy[i] = cleaned;
      }
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let changed = false;
  for (let i = 1; i < keys.length && !changed; i++) if (byName(keys[i - 1]!, keys[i]!) > 0) changed = true;
  const cleaned: [string, unknown][] = [];
  for (const key of keys) {
    const member = record[key];
    if (member === null) {
      changed = true;
      continue;
    }
    const inner = withoutNulls(member, depth + 1);
    if (inner !== member) changed = true;
    cleaned.push([key, inner]);
  }
  if (!changed) return record;
  cleaned.sort((a, b) => byName(a[0], b[0]));
  // defineProperty-free construction: a member named "__proto__" stays an own member, as JSON.parse made it.
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of cleaned) Object.defineProperty(copy, key, { value: inner, enumerable: true, writable: true, configurable: true });
  return copy;
}
