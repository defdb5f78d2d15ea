// GraphQL types generated from the vendor models (src/vendors/<vendor>/model.ts, written with
// ../vendors/model-kit.ts): the ingest mutations' input types, field for field, and the output types
// that mirror a vendor document, with the vendor's descriptions. A field added to a model appears in
// both without another edit. Output fields are defensive: a stored document is what the vendor sent,
// so a member of an unexpected type reads as null rather than failing the query.
//
// The inputs are deliberately looser than GraphQL could be, where it would be stricter than the vendor:
// - vendor enums are `String`: a value the vendor adds later must be stored raw (resolving to UNKNOWN),
//   not refused by GraphQL together with the whole batch;
// - dates are `String` as the vendor sends them: a DateTime scalar would reformat them, and the
//   validator already checks them with a path;
// - free-form vendor values (Chatlayer `user`/`variables`, NLP entities, journey attribute maps, webhook
//   message bodies) are `JSON`/`JSONObject`;
// - integers are `SafeInt` (GraphQL's Int is 32-bit; Einstein sequenceIds are int64), numbers `Float`.
import type { InputObjectRef, ObjectRef } from '@pothos/core';
import { Kind, OptionalKind, type TObject, type TSchema } from '@sinclair/typebox';
import type { GraphqlFieldAnnotation, GraphqlObjectAnnotation } from '../vendors/model-kit.js';
import { parseDate } from '../vendors/shared.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { vendorEnum, type VendorEnum } from './enums.js';
import { personalScopes, withheldFor, withPersonalNote } from './personal-data.js';
import { rawString } from './vendors/shared.js';

type Types = typeof builder.$inferSchemaTypes;
type Doc = Record<string, unknown>;
export type VendorObjectRef = ObjectRef<Types, Doc>;
type FieldBuilder<Parent> = PothosSchemaTypes.ObjectFieldBuilder<Types, Parent>;
type InputFieldBuilder = PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>;

/** What the model kit puts on a schema, read back. */
interface Annotated {
  type?: string | string[];
  description?: string;
  format?: string;
  /** A date-time that may also come as epoch milliseconds (../vendors/model-kit.ts `dateTimeOrEpochMillis`). */
  epochMillis?: boolean;
  knownValues?: string[];
  enumName?: string;
  enumDescription?: string;
  freeForm?: 'json' | 'object';
  graphql?: GraphqlFieldAnnotation;
  graphqlObject?: GraphqlObjectAnnotation;
  title?: string;
  items?: TSchema;
  properties?: Record<string, TSchema>;
  required?: string[];
  [Kind]?: string;
  [OptionalKind]?: string;
}

const VENDOR_ENUM = 'Any string: a value Parley does not know yet is stored raw and resolves to UNKNOWN.';
const DATE = 'ISO 8601 date-time, exactly as the vendor sends it.';

const annotated = (schema: TSchema) => schema as unknown as Annotated;
const isObjectModel = (schema: TSchema) => annotated(schema).graphqlObject !== undefined && annotated(schema).properties !== undefined;

/** One GraphQL enum per vendor enum name, whichever fields use it. */
const enums = new Map<string, VendorEnum>();
function enumFor(schema: Annotated, fallbackDescription: string): VendorEnum {
  const name = schema.enumName!;
  let e = enums.get(name);
  if (e === undefined) {
    e = vendorEnum(name, schema.knownValues ?? [], schema.enumDescription ?? fallbackDescription);
    enums.set(name, e);
  }
  return e;
}

// ---- inputs ----

const inputs = new Map<string, InputObjectRef<Types, Doc>>();

/** A few of an enum's documented values, as examples: `Chat, Call, Messaging`. */
function examples(schema: Annotated): string {
  const known = (schema.knownValues ?? []).filter((v) => v !== 'OutdatedSdkVersion' && v !== 'Unknown');
  return `${known.slice(0, 4).join(', ')}${known.length > 4 ? '...' : ''}`;
}

function inputDescription(schema: Annotated): string | undefined {
  const own = schema.graphql?.inputDescription ?? schema.description;
  // An enum (or a list of one) says which values are documented, and that others are kept.
  const enumSchema =
    schema.enumName !== undefined ? schema : schema.items !== undefined && annotated(schema.items).enumName !== undefined ? annotated(schema.items) : null;
  if (enumSchema !== null) {
    if (schema.graphql?.inputDescription !== undefined) return own!.includes('UNKNOWN') ? own : `${own} ${VENDOR_ENUM}`;
    return [own === undefined ? `${examples(enumSchema)}.` : `${own.replace(/\.$/, '')} (${examples(enumSchema)}).`, VENDOR_ENUM].join(' ');
  }
  // (A date-time-or-epoch-milliseconds field says what it takes in its own description.)
  if (schema.format === 'date-time' && schema.epochMillis !== true) return [own, DATE].filter(Boolean).join(' ');
  return own;
}

function inputField(t: InputFieldBuilder, schema: TSchema, required: boolean) {
  const a = annotated(schema);
  const description = inputDescription(a);
  const common = { required, ...(description === undefined ? {} : { description }) };
  if (a.freeForm === 'object') return t.field({ type: 'JSONObject', ...common });
  if (a.freeForm === 'json' || a[Kind] === 'Union') return t.field({ type: 'JSON', ...common });
  // A date-time or epoch milliseconds travels as a string (GraphQL has no string-or-number scalar).
  if (Array.isArray(a.type)) return t.string(common);
  if (isObjectModel(schema)) return t.field({ type: vendorInput(schema as TObject), ...common });
  if (a[Kind] === 'Record') return t.field({ type: 'JSONObject', ...common });
  if (a.type === 'array' && a.items !== undefined) {
    const item = annotated(a.items);
    if (isObjectModel(a.items)) return t.field({ type: [vendorInput(a.items as TObject)], ...common });
    if (item.freeForm !== undefined || item[Kind] === 'Union') {
      return a.graphql?.nullableItems
        ? t.field({ type: ['JSON'], ...common, required: { list: required, items: false } })
        : t.field({ type: ['JSON'], ...common });
    }
    if (item.type === 'integer') return t.field({ type: ['SafeInt'], ...common });
    if (item.type === 'number') return t.field({ type: ['Float'], ...common });
    if (item.type === 'boolean') return t.field({ type: ['Boolean'], ...common });
    return t.stringList(common);
  }
  if (a.type === 'integer') return t.field({ type: 'SafeInt', ...common });
  if (a.type === 'number') return t.float(common);
  if (a.type === 'boolean') return t.boolean(common);
  return t.string(common);
}

/** The ingest input type of a vendor model (the same one each time it is asked for). */
export function vendorInput(model: TObject): InputObjectRef<Types, Doc> {
  const a = annotated(model);
  const name = a.graphqlObject?.input;
  if (name === undefined) throw new Error(`the vendor model ${a.title ?? '?'} has no input type`);
  const existing = inputs.get(name);
  if (existing !== undefined) return existing;
  const required = new Set(a.required ?? []);
  const ref = builder.inputType(name, {
    ...(a.graphqlObject?.description === undefined ? {} : { description: a.graphqlObject.description }),
    fields: (t) => Object.fromEntries(Object.entries(model.properties).map(([key, schema]) => [key, inputField(t, schema, required.has(key))])),
  }) as unknown as InputObjectRef<Types, Doc>;
  inputs.set(name, ref);
  return ref;
}

// ---- outputs ----

const outputs = new Map<string, VendorObjectRef>();

const str = (v: unknown) => (typeof v === 'string' ? v : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const int = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);
const bool = (v: unknown) => (typeof v === 'boolean' ? v : null);
const obj = (v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Doc) : null);
const list = <T>(v: unknown, each: (item: unknown) => T | null): T[] | null => (Array.isArray(v) ? v.map(each).filter((x): x is T => x !== null) : null);

/**
 * The output fields mirroring a model's members on a type whose parent is read as the document by
 * `read`. Members marked `handWritten` are left to the caller.
 */
export function vendorOutputFields<Parent>(
  t: FieldBuilder<Parent>,
  model: TObject,
  /** The parent's document: the parent itself, its stored `data`, or (a message) loaded with the request's loaders. */
  read: (parent: Parent, ctx: Context) => Doc | null | Promise<Doc | null>,
) {
  const fields: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(model.properties)) {
    const a = annotated(schema);
    if (a.graphql?.handWritten || a.graphql?.output === false) continue;
    const name = a.graphql?.output ?? key;
    const own = a.description ?? `The vendor's \`${key}\`.`;
    const description = withPersonalNote(own, schema);
    // The member's personal-data rule is the field's scope rule (and its `...Raw` sibling's); a JSON
    // value also has the personal members inside it withheld (./personal-data.ts).
    const rule = personalScopes(schema);
    const common = { nullable: true, description, ...rule } as const;
    // Each field reads its member of the document.
    const on = (resolve: (value: unknown, ctx: Context) => unknown) => (parent: Parent, _args: unknown, ctx: Context) => {
      const doc = read(parent, ctx);
      if (doc instanceof Promise) return doc.then((d) => (d === null ? null : resolve(d[key], ctx))) as never;
      return (doc === null ? null : resolve(doc[key], ctx)) as never;
    };
    const json = (value: unknown, ctx: Context) => withheldFor(ctx, value, schema);
    if (a.enumName !== undefined) {
      const e = enumFor(a, own);
      fields[name] = t.field({
        type: e.ref,
        ...common,
        description: withPersonalNote(`${own} UNKNOWN for a value Parley does not know yet: see \`${name}Raw\`.`, schema),
        resolve: on((v) => e.fromRaw(v)),
      });
      fields[`${name}Raw`] = t.string({
        nullable: true,
        ...rule,
        description: withPersonalNote(`\`${name}\` exactly as the vendor sent it.`, schema),
        resolve: on(rawString),
      });
      continue;
    }
    if (a.type === 'array' && a.items !== undefined) {
      const item = annotated(a.items);
      if (item.enumName !== undefined) {
        const e = enumFor(item, own);
        fields[name] = t.field({
          type: [e.ref],
          ...common,
          description: withPersonalNote(`${own} UNKNOWN for a value Parley does not know yet: see \`${name}Raw\`.`, schema),
          resolve: on((v) => list(v, (x) => e.fromRaw(x) ?? 'UNKNOWN')),
        });
        fields[`${name}Raw`] = t.stringList({
          nullable: true,
          ...rule,
          description: withPersonalNote(`\`${name}\` exactly as the vendor sent them.`, schema),
          resolve: on((v) => list(v, (x) => rawString(x) ?? '')),
        });
      } else if (isObjectModel(a.items)) {
        fields[name] = t.field({ type: [vendorOutput(a.items as TObject)], ...common, resolve: on((v) => list(v, obj)) });
      } else if (item.type === 'integer') {
        fields[name] =
          a.graphql?.int === 'Int'
            ? t.field({ type: ['Int'], ...common, resolve: on((v) => list(v, num)) })
            : t.field({ type: ['SafeInt'], ...common, resolve: on((v) => list(v, int)) });
      } else if (item.type === 'number') fields[name] = t.field({ type: ['Float'], ...common, resolve: on((v) => list(v, num)) });
      else if (item.freeForm !== undefined || item[Kind] === 'Union')
        fields[name] = t.field({ type: ['JSON'], ...common, resolve: on((v, ctx) => (Array.isArray(v) ? json(v, ctx) : null)) });
      else fields[name] = t.stringList({ ...common, resolve: on((v) => list(v, str)) });
      continue;
    }
    if (isObjectModel(schema)) fields[name] = t.field({ type: vendorOutput(schema as TObject), ...common, resolve: on(obj) });
    else if (a.freeForm === 'object' || a[Kind] === 'Record')
      fields[name] = t.field({ type: 'JSONObject', ...common, resolve: on((v, ctx) => json(obj(v), ctx)) });
    else if (a.freeForm === 'json' || a[Kind] === 'Union') fields[name] = t.field({ type: 'JSON', ...common, resolve: on((v, ctx) => json(v ?? null, ctx)) });
    else if (a.format === 'date-time')
      fields[name] = t.field({ type: 'DateTime', ...common, resolve: on((v) => (typeof v === 'string' ? parseDate(v) : null)) });
    // A vendor number the SDK documents as a 32-bit int (a rating, an action's number) reads as `Int`;
    // a stored value `Int` cannot hold (fractional, past 32 bits) is the field's error, as GraphQL's `Int` reports it.
    else if ((a.type === 'integer' || a.type === 'number') && a.graphql?.int === 'Int') fields[name] = t.int({ ...common, resolve: on(num) });
    else if (a.type === 'integer') fields[name] = t.field({ type: 'SafeInt', ...common, resolve: on(int) });
    else if (a.type === 'number') fields[name] = t.float({ ...common, resolve: on(num) });
    else if (a.type === 'boolean') fields[name] = t.boolean({ ...common, resolve: on(bool) });
    else fields[name] = t.string({ ...common, resolve: on(str) });
  }
  return fields as Record<string, ReturnType<FieldBuilder<Parent>['string']>>;
}

/** The output type mirroring a vendor model (the same one each time it is asked for). */
export function vendorOutput(model: TObject): VendorObjectRef {
  const a = annotated(model);
  const name = a.graphqlObject?.output;
  if (name === undefined) throw new Error(`the vendor model ${a.title ?? '?'} has no output type: write it by hand`);
  const existing = outputs.get(name);
  if (existing !== undefined) return existing;
  const ref = builder.objectRef<Doc>(name);
  outputs.set(name, ref);
  ref.implement({
    ...(a.graphqlObject?.description === undefined ? {} : { description: a.graphqlObject.description }),
    fields: (t) => vendorOutputFields(t, model, (doc) => doc),
  });
  return ref;
}
