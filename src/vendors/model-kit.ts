// How a vendor model is written, once (TypeBox): each vendor document is one schema in its vendor's
// folder (`model.ts`), and from it come
// - the TypeScript type (`Static<typeof Model>`),
// - the runtime validation (the schema is JSON Schema: Ajv compiles it, ../validation.ts),
// - the warnings for what the vendor's SDK requires but Parley can store without (`vendorRequired`),
// - the GraphQL input types of the ingest mutations and the output types that mirror the document
//   (../schema/vendor-model.ts reads the annotations below).
// Adding a vendor field is one edit in the model (plus a test). The annotations are JSON Schema
// annotation keywords, which Ajv is told to accept and ignore.
import { Type, type SchemaOptions, type Static, type TObject, type TOptional, type TProperties, type TSchema } from '@sinclair/typebox';
import type { JsonObject, JsonValue } from './normalized.js';

/** What the GraphQL generators need to know of a field beyond its JSON Schema. */
export interface GraphqlFieldAnnotation {
  /**
   * The output field's name where the document's would clash with a field of another meaning (a
   * `Session` or `Message` field); `false`: no output field (an interface field says it, or the member
   * is kept in the stored document only).
   */
  output?: string | false;
  /** Not generated as an output field: the vendor's GraphQL file writes it by hand (it resolves differently). */
  handWritten?: boolean;
  /** Personal data: `always` needs the `pii` scope; `text` only where the tenant marks message text so. */
  personal?: 'always' | 'text';
  /** The output scalar where GraphQL's 32-bit `Int` is what the vendor documents (default: `SafeInt` for an integer, `Float` for a number). */
  int?: 'Int';
  /** The input field's description where it says more than the vendor's (how Parley reads it). */
  inputDescription?: string;
  /** A list input whose items may be null (`[JSON]`: the vendor's own lists hold nulls). */
  nullableItems?: boolean;
}

/** What the generators need to know of an object model. */
export interface GraphqlObjectAnnotation {
  /** The ingest mutation's input type, e.g. `GenesysBotChannelInput`; absent for a model only read (a map's entries arrive as JSON). */
  input?: string;
  /** The output type that mirrors the document, e.g. `BotChannel`; absent when the vendor's GraphQL file writes it by hand. */
  output?: string;
  /**
   * The types' description: the model's own, kept here because a member using the model may replace
   * the schema's `description` with what the model means in that place (`outcome: The outcome that was achieved.`).
   */
  description?: string;
}

export interface FieldOptions {
  description?: string;
  /** The vendor's SDK marks it required: a document without it is stored, with a warning. */
  vendorRequired?: boolean;
  graphql?: GraphqlFieldAnnotation;
}

/** The annotation keywords a vendor model may carry; ../validation.ts registers them with Ajv. */
export const ANNOTATION_KEYWORDS = ['vendorRequired', 'knownValues', 'enumName', 'enumDescription', 'graphql', 'graphqlObject', 'freeForm'] as const;

/** Every member optional but the `R` ones. */
export type VendorProperties<P extends TProperties, R extends keyof P> = { [K in Exclude<keyof P, R>]: TOptional<P[K]> } & { [K in R]: P[K] };

function options(o: FieldOptions | undefined, extra: SchemaOptions = {}): SchemaOptions {
  const out: SchemaOptions = { ...extra };
  if (o?.description !== undefined) out.description = o.description;
  if (o?.vendorRequired) out.vendorRequired = true;
  if (o?.graphql !== undefined) out.graphql = o.graphql;
  return out;
}

/** `string & {}` keeps editor completion for the known values while accepting new ones. */
export type OpenString<Known extends string> = Known | (string & {});

export const V = {
  string: (o?: FieldOptions) => Type.String(options(o)),
  /** An identifier: a string that must not be empty. */
  id: (o?: FieldOptions) => Type.String(options(o, { minLength: 1 })),
  /** ISO 8601 date-time as the vendor sends it; ../validation.ts checks it can be stored (1970-2199). */
  dateTime: (o?: FieldOptions) => Type.String(options(o, { format: 'date-time' })),
  /** A JSON Schema integer that is also exact as a JavaScript number. */
  integer: (o?: FieldOptions) => Type.Integer(options(o, { safeInteger: true })),
  number: (o?: FieldOptions) => Type.Number(options(o)),
  boolean: (o?: FieldOptions) => Type.Boolean(options(o)),
  /**
   * A vendor enum, open: any string is accepted (a value the vendor adds later is stored raw and read
   * as UNKNOWN). `name` is its GraphQL enum; `known` the documented values.
   */
  enumOf: <Known extends string>(name: string, known: readonly Known[], o?: FieldOptions & { enumDescription?: string }) =>
    Type.Unsafe<OpenString<Known>>(
      Type.String(options(o, { knownValues: [...known], enumName: name, ...(o?.enumDescription === undefined ? {} : { enumDescription: o.enumDescription }) })),
    ),
  /** A date-time string or epoch milliseconds (Chatlayer webhooks send either). */
  dateTimeOrEpochMillis: (o?: FieldOptions) =>
    Type.Unsafe<string | number>(options(o, { type: ['string', 'integer'], format: 'date-time', epochMillis: true })),
  /**
   * A bare string or a JSON object (a Chatlayer message body). `members`: the object's members Parley
   * knows something about (a personal-data rule); they describe, they do not constrain (give them no
   * type: any value passes, as before).
   */
  stringOrObject: (o?: FieldOptions & { members?: TProperties }) =>
    Type.Unsafe<string | JsonObject>(options(o, { type: ['string', 'object'], freeForm: 'json', ...(o?.members ? { properties: o.members } : {}) })),
  /**
   * A map of name to `value` (Genesys journey attributes). Keys match `[\s\S]`, not TypeBox's default
   * `^(.*)$`: `.` does not match a line break, so a name holding one would skip the value's check.
   */
  record: <T extends TSchema>(value: T, o?: FieldOptions) => Type.Record(Type.String({ pattern: '^[\\s\\S]*$' }), value, options(o)),
  /** One exact string (the kind of a webhook event). */
  literal: <L extends string>(value: L, o?: FieldOptions) => Type.Literal(value, options(o)),
  array: <T extends TSchema>(items: T, o?: FieldOptions) => Type.Array(items, options(o)),
  /** Any JSON value (free-form vendor data: NLP entities, message bodies). */
  json: (o?: FieldOptions) => Type.Unsafe<JsonValue>(options(o, { freeForm: 'json' })),
  /**
   * Any JSON object (variables, user profiles, payloads); `strings`: members the vendor documents as
   * strings, checked as such (the rest is free).
   */
  jsonObject: <S extends string = never>(o?: FieldOptions & { strings?: readonly S[] }) =>
    Type.Unsafe<JsonObject & { [K in S]?: string }>(
      options(o, {
        type: 'object',
        freeForm: 'object',
        ...(o?.strings ? { properties: Object.fromEntries(o.strings.map((name) => [name, { type: 'string' }])) } : {}),
      }),
    ),
  /**
   * A vendor object model. Every member is optional (vendors omit what they do not know) unless listed
   * in `required`: only what Parley cannot store a session without.
   */
  object: <P extends TProperties, R extends keyof P & string = never>(
    names: { title: string } & GraphqlObjectAnnotation,
    properties: P,
    o?: FieldOptions & { required?: readonly R[] },
  ): TObject<VendorProperties<P, R>> => {
    const { title, ...graphql } = names;
    const required = new Set<string>(o?.required ?? []);
    const members = Object.fromEntries(Object.entries(properties).map(([key, schema]) => [key, required.has(key) ? schema : Type.Optional(schema)]));
    const extra: SchemaOptions = { title, graphqlObject: o?.description === undefined ? graphql : { ...graphql, description: o.description } };
    if (o?.description !== undefined) extra.description = o.description;
    if (o?.vendorRequired) extra.vendorRequired = true;
    if (o?.graphql !== undefined) extra.graphql = o.graphql;
    return Type.Object(members as TProperties, extra) as TObject<VendorProperties<P, R>>;
  },
};

export type { Static };
