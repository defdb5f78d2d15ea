// Selections built from the schema itself, so a test reads every field a client could: every field of
// an object type, every possible type of an interface (inline fragments), paged fields with full pages.
// A type already on the path is not entered again (Session → conversation → sessions → Session...):
// each field is still reached, from the entry point where it is not a cycle.
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/** The largest page a connection serves (src/schema/paging.ts). */
const PAGE = 100;

/**
 * The arguments a field is read with: a full first page for a connection (a `first` without a
 * default), every value of an optional list-of-enum argument (`groupBy`), the defaults of the rest;
 * null when a required argument has no value here.
 */
function argumentsOf(field: GraphQLField<unknown, unknown>): string | null {
  const given: string[] = [];
  for (const arg of field.args) {
    if (arg.name === 'first' && arg.defaultValue === undefined) given.push(`first: ${String(PAGE)}`);
    else if (isNonNullType(arg.type) && arg.defaultValue === undefined) return null;
    else {
      const values = enumListValues(arg);
      if (values !== null) given.push(`${arg.name}: [${values.join(', ')}]`);
    }
  }
  return given.length === 0 ? '' : `(${given.join(', ')})`;
}

function enumListValues(arg: GraphQLArgument): string[] | null {
  const type = getNullableType(arg.type);
  if (!isListType(type)) return null;
  const item = getNamedType(type);
  return isEnumType(item) ? item.getValues().map((v) => v.name) : null;
}

export class SelectionBuilder {
  constructor(private readonly schema: GraphQLSchema) {}

  /** `{ ... }` for `type` entered from `path` (type names already entered), or null when nothing can be selected. */
  of(type: GraphQLNamedType, path: ReadonlySet<string> = new Set()): string | null {
    if (isLeafType(type)) return '';
    if (isInterfaceType(type) || isUnionType(type)) {
      const inner = new Set([...path, type.name]);
      const parts = ['__typename'];
      const possibleTypes = this.schema.getPossibleTypes(type);
      // Two possible types may have a field of one name and different types (`variables`): GraphQL
      // would refuse to merge them, so those are aliased by their type.
      const typesOf = new Map<string, Set<string>>();
      for (const possible of possibleTypes) {
        for (const field of Object.values(possible.getFields())) typesOf.set(field.name, (typesOf.get(field.name) ?? new Set()).add(String(field.type)));
      }
      const clashing = new Set([...typesOf].filter(([, types]) => types.size > 1).map(([name]) => name));
      for (const possible of possibleTypes) {
        if (path.has(possible.name)) continue;
        const selection = this.objectSelection(possible, inner, [], (name) => (clashing.has(name) ? `${possible.name}_${name}: ` : ''));
        if (selection !== null) parts.push(`... on ${possible.name} ${selection}`);
      }
      return `{ ${parts.join(' ')} }`;
    }
    if (isObjectType(type)) return this.objectSelection(type, path);
    return null;
  }

  /** A root field (or any field) with the arguments given, e.g. `sessions(first: 100, after: $after)`, and its full selection. */
  field(parent: GraphQLObjectType, name: string, args: string, path: ReadonlySet<string> = new Set([parent.name])): string {
    const field = parent.getFields()[name];
    if (field === undefined) throw new Error(`${parent.name}.${name} does not exist`);
    const selection = this.of(getNamedType(field.type), path);
    if (selection === null) throw new Error(`${parent.name}.${name} has nothing to select`);
    return `${name}${args} ${selection}`;
  }

  /** A root field read as `of` reads any field: its default arguments (see argumentsOf) and its full selection. */
  rootField(root: GraphQLObjectType, name: string): string | null {
    const field = root.getFields()[name];
    if (field === undefined) throw new Error(`${root.name}.${name} does not exist`);
    const args = argumentsOf(field);
    const selection = this.of(getNamedType(field.type), new Set([root.name]));
    return args === null || selection === null ? null : `${name}${args} ${selection}`;
  }

  /** Every field of `type` whose arguments need no value (see argumentsOf), each with its full selection. */
  private objectSelection(
    type: GraphQLObjectType,
    path: ReadonlySet<string>,
    except: readonly string[] = [],
    alias: (field: string) => string = () => '',
  ): string | null {
    const inner = new Set([...path, type.name, ...type.getInterfaces().map((i) => i.name)]);
    const parts: string[] = [];
    for (const field of Object.values(type.getFields())) {
      if (except.includes(field.name)) continue;
      const args = argumentsOf(field);
      if (args === null) continue;
      const named = getNamedType(field.type);
      if (isLeafType(named)) {
        parts.push(`${alias(field.name)}${field.name}${args}`);
        continue;
      }
      if (inner.has(named.name)) continue;
      const selection = this.of(named, inner);
      if (selection !== null) parts.push(`${alias(field.name)}${field.name}${args} ${selection}`);
    }
    return parts.length === 0 ? null : `{ ${parts.join(' ')} }`;
  }

  /** The root type's fields that need no argument values, but `except` (entry points a test calls with its own arguments). */
  rootFields(root: GraphQLObjectType, except: readonly string[]): string | null {
    return this.objectSelection(root, new Set(), except);
  }
}
