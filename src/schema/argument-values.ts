// Every argument of an operation, checked once before it runs (queries, mutations and subscriptions, on
// every transport), so that input the database cannot hold is the caller's coded error and never a
// failed statement:
// - variables that do not coerce to their types (an Int past 32 bits, a DateTime PostgreSQL cannot hold,
//   an unknown enum value) are BAD_USER_INPUT, naming the variable and the path inside it;
// - a string argument, at any depth of an input object or list, that PostgreSQL text cannot hold (a NUL,
//   an unpaired surrogate), and JSON that it cannot hold or that nests too deeply, are BAD_USER_INPUT
//   naming the field and the argument's path (`filter.botIds[0]`) — wherever the field is in the
//   operation, a transcript's `messages(after:)` as much as a root field.
// ID arguments are left to their decoders, which refuse anything Parley did not issue (BAD_ID, a bad
// `since`). Arguments whose values are vendor documents (the ingest mutations' item lists: see
// `VENDOR_DOCUMENTS`) are left to the vendor validation, which rejects the one item at fault with its
// JSONPath and still stores the others.
import {
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getArgumentValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  isScalarType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { refuseBeforeRunning } from '../security/refuse-before-running.js';
import { stringProblem } from '../db/storable.js';
import { indexSegment, jsonHygiene } from '../vendors/validation.js';
import { ErrorCode } from './errors.js';

const VENDOR_DOCUMENTS_KEY = 'parleyVendorDocuments';
/** The extension that marks an argument as vendor documents: `t.arg({ ..., extensions: VENDOR_DOCUMENTS })`. */
export const VENDOR_DOCUMENTS: Readonly<Record<string, unknown>> = { [VENDOR_DOCUMENTS_KEY]: true };

/** Problems reported per operation: beyond a handful the rest add nothing a client can act on. */
const MAX_PROBLEMS = 20;

/** Scalars whose values are JSON the caller writes (JSON, JSONObject): checked as JSON, to any depth. */
const JSON_SCALARS = new Set(['JSON', 'JSONObject']);

interface OperationArgs {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variableValues?: Record<string, unknown> | null;
}

/**
 * The operation did not run, so the response has no `data`: under `application/graphql-response+json`
 * that is a request error, HTTP 400 (GraphQL over HTTP); under `application/json` it stays 200. Yoga reads
 * this extension (and does not send it).
 */
const REQUEST_ERROR = { spec: true, status: 400 } as const;

function badInput(error: GraphQLError): GraphQLError {
  // An unexpected failure inside a scalar (not a GraphQLError) stays what it is: masked and logged.
  if (error.originalError !== undefined && !(error.originalError instanceof GraphQLError)) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes ?? null,
    extensions: { ...error.extensions, code: error.extensions.code ?? ErrorCode.BAD_USER_INPUT, http: REQUEST_ERROR },
  });
}

function argumentProblem(node: FieldNode, field: string, argument: string, message: string): GraphQLError {
  return new GraphQLError(`Argument \`${argument}\` of \`${field}\` ${message}.`, {
    nodes: node,
    extensions: { code: ErrorCode.BAD_USER_INPUT, field, argument, http: REQUEST_ERROR },
  });
}

/** `(path, message)` of each value under `type` PostgreSQL cannot hold, walked by the argument's input type. */
function* valueProblems(value: unknown, type: GraphQLInputType, path: string): Generator<{ path: string; message: string }> {
  if (value === null || value === undefined) return;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const itemType = nullable.ofType as GraphQLInputType;
    if (!Array.isArray(value)) {
      yield* valueProblems(value, itemType, path);
      return;
    }
    for (const [index, item] of value.entries()) yield* valueProblems(item, itemType, path + indexSegment(index));
    return;
  }
  if (isInputObjectType(nullable)) {
    const fields = nullable.getFields();
    for (const [name, member] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[name];
      if (field !== undefined) yield* valueProblems(member, field.type, `${path}.${name}`);
    }
    return;
  }
  if (!isScalarType(nullable)) return;
  if (nullable.name === 'String' && typeof value === 'string') {
    const problem = stringProblem(value);
    if (problem !== null) yield { path, message: problem };
  } else if (JSON_SCALARS.has(nullable.name)) {
    // Iterative, and bounded in depth: the same hygiene as a vendor document's.
    for (const error of jsonHygiene(value).errors) yield { path: path + error.path.slice(1), message: error.message };
  }
}

/** The arguments of every field in the operation (each fragment once), checked against `valueProblems`. */
function argumentProblems(
  schema: GraphQLSchema,
  document: DocumentNode,
  selectionSet: SelectionSetNode,
  rootType: GraphQLNamedType,
  variables: Record<string, unknown>,
): GraphQLError[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const problems: GraphQLError[] = [];
  const visitedFragments = new Set<string>();

  const checkField = (node: FieldNode, definition: GraphQLField<unknown, unknown>, fieldPath: string) => {
    if (definition.args.length === 0 || (node.arguments ?? ([] as readonly ArgumentNode[])).length === 0) return;
    let values: Record<string, unknown>;
    try {
      values = getArgumentValues(definition, node, variables);
    } catch (error) {
      // A null variable for a non-null argument: GraphQL's own error, coded as the caller's.
      if (!(error instanceof GraphQLError)) throw error;
      problems.push(badInput(error));
      return;
    }
    for (const argument of definition.args) {
      if (argument.extensions[VENDOR_DOCUMENTS_KEY] === true) continue;
      for (const { path, message } of valueProblems(values[argument.name], argument.type, argument.name)) {
        if (problems.length >= MAX_PROBLEMS) return;
        problems.push(argumentProblem(node, fieldPath, path, message));
      }
    }
  };

  const visit = (set: SelectionSetNode, parentType: GraphQLNamedType | undefined, parentPath: string) => {
    for (const selection of set.selections) {
      if (problems.length >= MAX_PROBLEMS) return;
      if (selection.kind === Kind.FIELD) {
        const fields = parentType && (isObjectType(parentType) || isInterfaceType(parentType)) ? parentType.getFields() : {};
        const definition = fields[selection.name.value];
        if (definition === undefined) continue; // __typename, or a type that has no such field (validation said)
        const fieldPath = (parentPath ? `${parentPath}.` : '') + (selection.alias ?? selection.name).value;
        checkField(selection, definition, fieldPath);
        if (selection.selectionSet) visit(selection.selectionSet, getNamedType(definition.type), fieldPath);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parentType, parentPath);
      } else {
        // A fragment's fields and arguments are the same wherever it is spread: checked once.
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (fragment === undefined || visitedFragments.has(name)) continue;
        visitedFragments.add(name);
        visit(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), parentPath);
      }
    }
  };

  visit(selectionSet, rootType, '');
  return problems;
}

/** The errors that refuse the operation, or null when its arguments are fine (or GraphQL will say why not). */
export function checkArguments({ schema, document, operationName, variableValues }: OperationArgs): GraphQLError[] | null {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return null;
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return null;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variableValues ?? {}, { maxErrors: MAX_PROBLEMS });
  if (coerced.errors !== undefined) return coerced.errors.map(badInput);
  const problems = argumentProblems(schema, document, operation.selectionSet, rootType, coerced.coerced);
  return problems.length > 0 ? problems : null;
}

/** Refuses, before it runs, an operation whose arguments are not what the database can hold (see above). */
export function argumentValuesPlugin(): Plugin {
  return refuseBeforeRunning(checkArguments);
}
