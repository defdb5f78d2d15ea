// Operations and hostile arguments built from the schema itself, for property tests: for a root field,
// an operation that passes every argument as a variable — its own and those of the fields with arguments
// below it (a transcript's `messages(after:)`, a conversation's `sessions(orderBy:)`) — and, for its
// variables, fast-check arbitraries derived from each argument's input type and biased to what a database
// cannot hold or a decoder must refuse. A field, argument or input type added later is covered with no
// edit here; only scalars named below get values of their own kind (any other scalar gets a mix).
import fc from 'fast-check';
import {
  getNamedType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';

/** A JSON value nested `depth` levels deep, written into the request body without recursion (see requestBody). */
export class DeepJson {
  constructor(
    readonly depth: number,
    readonly kind: 'array' | 'object',
  ) {}

  get text(): string {
    const [open, leaf, close] = this.kind === 'array' ? ['[', '', ']'] : ['{"a":', 'null', '}'];
    return `${open.repeat(this.depth)}${leaf}${close.repeat(this.depth)}`;
  }
}

/** JSON text of a request body; DeepJson values are spelled out as text (JSON.stringify would overflow the stack). */
export function requestBody(body: unknown): string {
  const deep: DeepJson[] = [];
  const text = JSON.stringify(body, (_key, value: unknown) => {
    if (!(value instanceof DeepJson)) return value;
    deep.push(value);
    return `\u0001deep${String(deep.length - 1)}\u0001`;
  });
  return text.replace(/"\\u0001deep(\d+)\\u0001"/g, (_match, index: string) => deep[Number(index)]!.text);
}

export interface VariableSpec {
  name: string;
  type: GraphQLInputType;
  /** `Query.sessions(after)`, `Session.messages(after)`: which argument the variable feeds. */
  argument: string;
  /** Whether it is an argument of the operation's root field. */
  root: boolean;
}

export interface Operation {
  kind: 'query' | 'mutation' | 'subscription';
  field: string;
  text: string;
  variables: VariableSpec[];
}

/** Leaf fields selected wherever they are, so responses show ids and cursors to forge from. */
const HARVESTED = new Set(['id', 'cursor', 'startCursor', 'endCursor', 'eventId', 'externalId', 'botId', 'channel', 'language']);

interface Built {
  text: string;
  variables: VariableSpec[];
}

class SelectionBuilder {
  #next = 0;

  constructor(private readonly schema: GraphQLSchema) {}

  /** `field(a: $v0, b: $v1)`, or the bare name when it has no arguments. */
  call(owner: string, field: GraphQLField<unknown, unknown>, root = false): Built {
    if (field.args.length === 0) return { text: field.name, variables: [] };
    const variables = field.args.map((arg) => ({ name: `v${String(this.#next++)}`, type: arg.type, argument: `${owner}.${field.name}(${arg.name})`, root }));
    const args = field.args.map((arg, i) => `${arg.name}: $${variables[i]!.name}`).join(', ');
    return { text: `${field.name}(${args})`, variables };
  }

  /**
   * The selection under a field of `type`: harvested leaves, and every path down to a field with arguments.
   * A type already on the path is not entered again (the operation stays finite and within the cost limit).
   * Null when nothing below is worth selecting.
   */
  select(type: GraphQLOutputType, path: ReadonlySet<string>): Built | null {
    const named = getNamedType(type);
    if (isLeafType(named)) return { text: '', variables: [] };
    if (path.has(named.name)) return null;
    const inner = new Set(path).add(named.name);
    const parts: string[] = ['__typename'];
    const variables: VariableSpec[] = [];
    let interesting = false;
    const own = isObjectType(named) || isInterfaceType(named) ? named.getFields() : {};
    for (const field of Object.values(own)) {
      const built = this.#field(named.name, field, inner);
      if (built === null) continue;
      parts.push(built.text);
      variables.push(...built.variables);
      interesting ||= built.variables.length > 0 || HARVESTED.has(field.name);
    }
    if (isAbstractType(named)) {
      // Fields of each implementation that the abstract type lacks (a Node's `messages`, `sessions`).
      for (const possible of this.schema.getPossibleTypes(named)) {
        const extra: string[] = [];
        for (const field of Object.values(possible.getFields())) {
          if (field.name in own) continue;
          const built = this.#field(possible.name, field, inner);
          if (built === null || built.variables.length === 0) continue;
          extra.push(built.text);
          variables.push(...built.variables);
        }
        if (extra.length > 0) {
          parts.push(`... on ${possible.name} { ${extra.join(' ')} }`);
          interesting = true;
        }
      }
    }
    return interesting ? { text: parts.join(' '), variables } : null;
  }

  #field(owner: string, field: GraphQLField<unknown, unknown>, path: ReadonlySet<string>): Built | null {
    const named = getNamedType(field.type);
    if (isLeafType(named)) {
      // Leaves that take arguments are called for their arguments' sake.
      if (field.args.length > 0) return this.call(owner, field);
      return HARVESTED.has(field.name) ? { text: field.name, variables: [] } : null;
    }
    const below = this.select(field.type, path);
    if (below === null) return field.args.length > 0 ? this.#withMinimalSelection(owner, field) : null;
    const call = this.call(owner, field);
    return { text: `${call.text} { ${below.text} }`, variables: [...call.variables, ...below.variables] };
  }

  /** A field with arguments whose type was already on the path: still called, selecting only `__typename`. */
  #withMinimalSelection(owner: string, field: GraphQLField<unknown, unknown>): Built {
    const call = this.call(owner, field);
    return { text: `${call.text} { __typename }`, variables: call.variables };
  }
}

/** The operation for one root field of `rootType` (the schema's Query, Mutation or Subscription type). */
export function operationFor(schema: GraphQLSchema, kind: Operation['kind'], rootType: GraphQLObjectType, fieldName: string): Operation {
  const builder = new SelectionBuilder(schema);
  const field = rootType.getFields()[fieldName]!;
  const call = builder.call(rootType.name, field, true);
  const below = isLeafType(getNamedType(field.type))
    ? { text: '', variables: [] }
    : (builder.select(field.type, new Set()) ?? { text: '__typename', variables: [] });
  const variables = [...call.variables, ...below.variables];
  const declarations = variables.length === 0 ? '' : `(${variables.map((v) => `$${v.name}: ${v.type.toString()}`).join(', ')})`;
  const selection = below.text === '' ? '' : ` { ${below.text} }`;
  return { kind, field: fieldName, text: `${kind} Fuzz${declarations} { ${call.text}${selection} }`, variables };
}

// ---- values ----

/** What the test harvested from real responses: the arbitraries forge from them. */
export interface Pools {
  ids: string[];
  cursors: string[];
  strings: string[];
}

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** What PostgreSQL text and jsonb cannot hold. */
export const UNSTORABLE_STRINGS = ['\u0000', 'bot\u0000', '\u0000UTC', '\ud800', 'a\udc00b', '\udbff'];

export const HOSTILE_STRINGS = [
  ...UNSTORABLE_STRINGS,
  '',
  ' ',
  '\uffff',
  '%',
  '_%\\',
  "'; SELECT 1; --",
  '"',
  '🙂',
  'Europe/Brussels',
  'UTC',
  'Mars/Olympus_Mons',
];

/** Long, but not so long that a list of them is over the request body limit. */
const LONG_STRING = 'x'.repeat(20_000);

/** Parts a forged cursor may carry: out of every range a cursor's decoder must check. */
const HOSTILE_CURSOR_PARTS: unknown[] = [
  '0000-01-01T00:00:00.000Z',
  '0001-01-01T00:00:00.000Z',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '9999999999999999999',
  '9223372036854775808',
  '-9223372036854775809',
  '9223372036854775807',
  '1e400',
  'not a date',
  '00000000-0000-0000-0000-000000000000',
  '',
  '\u0000',
  'k\u0000',
  '\ud800',
  2 ** 31,
  2 ** 63,
  -1,
  1.5,
  1e308,
  null,
  true,
  [],
  {},
  [1, 2],
  { a: 1 },
];

// Values GraphQL's own types accept come most often, so that the others reach the resolvers; those it
// refuses (past 32 bits, fractions, dates RFC 3339 cannot spell) still come, and must be coded too.
const INTS = [0, 1, 2, 3, 5, 20, 100, 101, -1, -100, 2 ** 31 - 1, -(2 ** 31)];
const NOT_INTS = [2 ** 31, 2 ** 53, -(2 ** 53), 2 ** 63, -(2 ** 63), 1.5, 1e308];
const SAFE_INTS = [0, 1, -1, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 31, -(2 ** 31) - 1];
const NOT_SAFE_INTS = [2 ** 53, -(2 ** 53), 2 ** 63, -(2 ** 63), 1.5];
/** RFC 3339 date-times, the ones PostgreSQL cannot hold (year 0, year 10000 in UTC) among them. */
const DATES = [
  '2026-11-18T09:00:00Z',
  '2026-11-18T09:10:00.000+01:00',
  '1970-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '0000-12-31T23:59:59.999Z',
  '0001-01-01T00:00:00Z',
  '0001-01-01T00:00:00+01:00',
  '9999-12-31T23:59:59.999Z',
  '9999-12-31T23:59:59-12:00',
  '2016-12-31T23:59:60Z',
];
const NOT_DATES = ['2026-02-30T00:00:00Z', '2026-11-18T24:00:00Z', '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00.000Z', 'yesterday', ''];
const EVENT_IDS = [
  '0',
  '1',
  '2',
  '10',
  '9223372036854775807',
  '9223372036854775808',
  '9'.repeat(19),
  '9'.repeat(20),
  '-1',
  '1.5',
  '1e3',
  ' 7 ',
  '',
  '٣',
  '0x10',
];

/** The smallest value GraphQL accepts for a type: what is required, and nothing else. */
function minimal(type: GraphQLInputType): unknown {
  if (!isNonNullType(type)) return null;
  const inner = type.ofType as GraphQLInputType;
  if (isListType(inner)) return [];
  if (isInputObjectType(inner)) {
    return Object.fromEntries(
      Object.values(inner.getFields())
        .filter((field) => isNonNullType(field.type))
        .map((field) => [field.name, minimal(field.type)]),
    );
  }
  if (isEnumType(inner)) return inner.getValues()[0]?.name;
  return { Int: 1, Float: 1, SafeInt: 1, Boolean: true }[(inner as GraphQLNamedType).name] ?? 'x';
}

export class Arbitraries {
  readonly #cache = new Map<string, fc.Arbitrary<unknown>>();
  readonly hostileString: fc.Arbitrary<string>;
  readonly forgedCursor: fc.Arbitrary<string>;
  readonly forgedId: fc.Arbitrary<string>;
  readonly json: fc.Arbitrary<unknown>;
  readonly jsonObject: fc.Arbitrary<unknown>;

  constructor(schema: GraphQLSchema, pools: Pools) {
    const some = <T>(values: readonly T[], fallback: T) => fc.constantFrom(...(values.length > 0 ? values : [fallback]));
    this.hostileString = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...UNSTORABLE_STRINGS) },
      { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
      { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
      { weight: 6, arbitrary: some(pools.strings, 'bot-a') },
      { weight: 1, arbitrary: fc.constant(LONG_STRING) },
    );
    // Grouped by tag, and a tag picked first: a page of sessions has a transcript's worth of message
    // cursors per session, and every connection's cursors should be forged as often.
    const byTag = new Map<string, unknown[][]>();
    for (const cursor of pools.cursors) {
      const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
      byTag.set(String(parts[0]), [...(byTag.get(String(parts[0])) ?? []), parts]);
    }
    const tags = [...byTag.keys()];
    const realParts = some(tags, 'none').chain((tag) => some(byTag.get(tag) ?? [], [tag]));
    const part = fc.oneof(fc.constantFrom(...HOSTILE_CURSOR_PARTS), this.hostileString, fc.integer());
    this.forgedCursor = fc.oneof(
      { weight: 2, arbitrary: realParts.map((parts) => base64url(JSON.stringify(parts))) },
      {
        // A real cursor with one or two of its parts replaced (mostly), or a part added or dropped.
        weight: 6,
        arbitrary: fc
          .tuple(
            realParts,
            fc.array(fc.tuple(fc.nat(), part, fc.constantFrom('replace', 'replace', 'replace', 'insert', 'drop')), { minLength: 1, maxLength: 2 }),
          )
          .map(([parts, edits]) => {
            const forged = [...parts];
            for (const [at, value, edit] of edits) {
              const kept = Math.max(1, forged.length - 1);
              if (edit === 'replace') forged[1 + (at % kept)] = value;
              else if (edit === 'insert') forged.splice(1 + (at % (kept + 1)), 0, value);
              else forged.splice(1 + (at % kept), 1);
            }
            return base64url(JSON.stringify(forged));
          }),
      },
      {
        weight: 2,
        arbitrary: fc.tuple(some(tags, 'none'), fc.array(part, { maxLength: 4 })).map(([tag, parts]) => base64url(JSON.stringify([tag, ...parts]))),
      },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((value) => base64url(JSON.stringify(value))) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    );
    const nodeTypes = schema.getPossibleTypes(schema.getType('Node') as never).map((type) => type.name);
    const realIds = pools.ids.map((id) => Buffer.from(id, 'base64url').toString('utf8'));
    this.forgedId = fc.oneof(
      { weight: 3, arbitrary: some(pools.ids, base64url('Nope:1')) },
      {
        // Another type's name on a real row id, or a real type's name on a hostile row id.
        weight: 3,
        arbitrary: fc
          .tuple(
            fc.constantFrom(...nodeTypes, 'Nope', 'node', ''),
            fc.oneof(
              fc.uuid(),
              fc.constantFrom(...HOSTILE_CURSOR_PARTS.map(String)),
              this.hostileString,
              some(realIds, 'x:1').map((id) => id.split(':')[1] ?? ''),
            ),
          )
          .map(([type, id]) => base64url(`${type}:${id}`)),
      },
      { weight: 1, arbitrary: fc.constantFrom(...EVENT_IDS) },
      { weight: 2, arbitrary: this.hostileString },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map((text) => `${base64url(text)}==`) },
    );
    const hostileJsonString = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: 'binary', maxLength: 8 }));
    const hostileObject = fc.dictionary(hostileJsonString, fc.oneof(hostileJsonString, fc.integer(), fc.constantFrom(1e308, -0, null, true)), { maxKeys: 4 });
    this.json = fc.oneof(
      { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
      { weight: 3, arbitrary: hostileObject },
      { weight: 2, arbitrary: hostileJsonString },
      {
        weight: 1,
        arbitrary: fc.constantFrom(new DeepJson(100_000, 'array'), new DeepJson(100_000, 'object'), new DeepJson(65, 'array'), new DeepJson(64, 'object')),
      },
    );
    this.jsonObject = fc.oneof(
      { weight: 4, arbitrary: hostileObject },
      { weight: 2, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }) },
      { weight: 1, arbitrary: fc.constantFrom(new DeepJson(100_000, 'array'), new DeepJson(100_000, 'object')).map((deep) => ({ deep })) },
    );
  }

  /**
   * Values for the variables of `operation`: those it requires, and a few of the others (null for the
   * rest). An operation has dozens of variables once its nested fields' are counted; given values all at
   * once, one of them would nearly always be refused by GraphQL's coercion, and none would ever reach a
   * resolver.
   */
  variables(operation: Operation): fc.Arbitrary<Record<string, unknown>> {
    const required = operation.variables.filter((v) => isNonNullType(v.type));
    const optional = operation.variables.filter((v) => !isNonNullType(v.type));
    // The root field's own arguments are the ones the operation is about: up to three of them, and up to
    // two arguments of the fields below.
    const own = optional.filter((v) => v.root);
    const nested = optional.filter((v) => !v.root);
    const given = (specs: VariableSpec[]) => fc.record(Object.fromEntries(specs.map((v) => [v.name, this.value(v.type, v.argument, 0)])));
    return fc
      .tuple(
        given(required),
        fc.subarray(own, { maxLength: Math.min(3, own.length) }).chain(given),
        fc.subarray(nested, { maxLength: Math.min(2, nested.length) }).chain(given),
      )
      .map(([a, b, c]) => ({ ...Object.fromEntries(optional.map((v) => [v.name, null])), ...a, ...b, ...c }));
  }

  /** Values of an input type: mostly well-typed (so they reach the resolvers), biased to the hostile. */
  value(type: GraphQLInputType, argument: string, depth: number): fc.Arbitrary<unknown> {
    const key = `${type.toString()}|${depth}|${/\((after|before)\)$/.test(argument) ? 'cursor' : ''}`;
    let arbitrary = this.#cache.get(key);
    if (arbitrary === undefined) {
      arbitrary = this.#value(type, argument, depth);
      this.#cache.set(key, arbitrary);
    }
    return arbitrary;
  }

  #value(type: GraphQLInputType, argument: string, depth: number): fc.Arbitrary<unknown> {
    if (isNonNullType(type)) {
      // Rarely null where GraphQL requires a value: its own error, which must be coded too.
      return fc.oneof({ weight: 30, arbitrary: this.#nullable(type.ofType as GraphQLInputType, argument, depth) }, { weight: 1, arbitrary: fc.constant(null) });
    }
    return fc.oneof({ weight: depth === 0 ? 1 : 3, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: this.#nullable(type, argument, depth) });
  }

  #nullable(type: GraphQLInputType, argument: string, depth: number): fc.Arbitrary<unknown> {
    if (isListType(type)) {
      const itemType = type.ofType as GraphQLInputType;
      const item = this.value(itemType, argument, depth + 1);
      // Long lists: many ids or filter values (never null where items are required: one null would refuse
      // them all); a thousand and one items where items are objects.
      const longItem = isNonNullType(itemType) ? this.#nullable(itemType.ofType as GraphQLInputType, argument, depth + 1) : item;
      const long = isInputObjectType(getNamedType(itemType))
        ? fc.constant(Array.from({ length: 1001 }, () => minimal(itemType)))
        : fc.array(longItem, { minLength: 2000, maxLength: 2500 });
      return fc.oneof({ weight: 12, arbitrary: fc.array(item, { maxLength: depth > 1 ? 1 : 3 }) }, { weight: 1, arbitrary: long });
    }
    const named = getNamedType(type) as GraphQLNamedType;
    if (isInputObjectType(named)) {
      if (depth > 3) return fc.constant(null);
      const fields = Object.values(named.getFields());
      return fc.record(Object.fromEntries(fields.map((field) => [field.name, this.value(field.type, argument, depth + 1)])), {
        requiredKeys: fields.filter((field) => isNonNullType(field.type)).map((field) => field.name),
      });
    }
    if (isEnumType(named)) {
      return fc.oneof(
        { weight: 20, arbitrary: fc.constantFrom(...named.getValues().map((v) => v.name)) },
        { weight: 1, arbitrary: fc.constant('NOT_A_VALUE') },
      );
    }
    if (!isScalarType(named)) throw new Error(`no arbitrary for ${named.name}`);
    return this.#scalar(named.name, argument);
  }

  #scalar(name: string, argument: string): fc.Arbitrary<unknown> {
    switch (name) {
      case 'String':
        // Cursors are Strings: a cursor argument gets forged cursors mostly, any other String sometimes.
        return /\((after|before)\)$/.test(argument)
          ? fc.oneof({ weight: 5, arbitrary: this.forgedCursor }, { weight: 1, arbitrary: this.hostileString })
          : fc.oneof({ weight: 6, arbitrary: this.hostileString }, { weight: 1, arbitrary: this.forgedCursor }, { weight: 1, arbitrary: this.forgedId });
      case 'ID':
        return this.forgedId;
      case 'Int':
        return fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...INTS) },
          { weight: 2, arbitrary: fc.integer() },
          { weight: 1, arbitrary: fc.constantFrom(...NOT_INTS) },
        );
      case 'Float':
        return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(1e308, -1e308, 0, 5e-324, 2 ** 63));
      case 'SafeInt':
        return fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...SAFE_INTS) },
          { weight: 2, arbitrary: fc.maxSafeInteger() },
          { weight: 1, arbitrary: fc.constantFrom(...NOT_SAFE_INTS) },
        );
      case 'Boolean':
        return fc.boolean();
      case 'DateTime':
        return fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...DATES) },
          { weight: 1, arbitrary: fc.constantFrom(...NOT_DATES) },
          // Anywhere in JavaScript's range: RFC 3339 spells only years 0000 to 9999 of it.
          { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()) },
        );
      case 'JSON':
        return this.json;
      case 'JSONObject':
        return this.jsonObject;
      default:
        return fc.oneof(this.hostileString, fc.constantFrom(...INTS), this.json);
    }
  }
}
