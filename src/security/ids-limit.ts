// `nodes(ids:)` takes at most MAX_NODE_IDS ids, and that is checked first of all, by counting what the
// request carries (a literal list, or the list in the variables): an oversized list is refused before
// it is coerced, priced, decoded or looked up, which is where 24,000 made-up ids spent their seconds.
import { GraphQLError, Kind, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { MAX_NODE_IDS } from '../schema/node-lookup.js';
import { refuseBeforeRunning } from './refuse-before-running.js';

/** The largest `ids` list of the operation to run (literal or variable), 0 when there is none. */
function largestIds(document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown>): number {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  let largest = 0;
  const seen = new Set<string>();
  const field = (node: FieldNode) => {
    for (const argument of node.arguments ?? []) {
      if (argument.name.value !== 'ids') continue;
      const value = argument.value;
      if (value.kind === Kind.LIST) largest = Math.max(largest, value.values.length);
      else if (value.kind === Kind.VARIABLE) {
        const given = variables[value.name.value];
        if (Array.isArray(given)) largest = Math.max(largest, given.length);
      }
    }
    if (node.selectionSet) walk(node.selectionSet);
  };
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) field(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return largest;
}

export function idsLimitPlugin(): Plugin {
  return refuseBeforeRunning(({ document, operationName, variableValues }) => {
    const count = largestIds(document, operationName, variableValues ?? {});
    if (count <= MAX_NODE_IDS) return null;
    // A request error, as the argument checks' (../schema/argument-values.ts): 400, or 200 under application/json.
    return new GraphQLError(`\`nodes\` takes at most ${MAX_NODE_IDS} ids (got ${count}); ask in several requests.`, {
      extensions: { code: 'BAD_USER_INPUT', maxIds: MAX_NODE_IDS, http: { status: 400, spec: true } },
    });
  });
}
