// The cost limit: an estimate of how many rows an operation may load, checked before it executes,
// when the variables are known. GraphQL Armor's cost-limit rule runs at validation, before variables
// exist, so it multiplies only by literal `first: 50` — `first: $n` would cost as much as `first: 1`.
// This is the same idea with the page sizes the operation will really ask for.
//
// The model: a field costs 1 when it loads something — it returns a `Node` (a session, a message, a
// conversation: a row) or it is a paged connection (one query) — times the number of times it may be
// resolved. A field with `first`/`last` multiplies everything below it by that page size (20 when
// neither is given, the default page); a field with a list argument `ids` by the list's length.
// Scalars and the vendors' embedded objects (`flow`, `nlp`, `turn { knowledge { ... } }`: parts of
// the row already loaded) are free; their number is bounded by the token, depth and alias limits.
//
// Measured (scripts/measure-limits.ts for README's operations; the test suites for the rest): the
// README dashboard with `sessions(first: 50)` and `messages(first: 20)` costs 2,150; the README's
// other operations at most 231; the costliest test query, 100 sessions × 100 messages with every
// vendor field, 20,301. Limit 25,000: a full two-level page (100 × 100) passes, while a third paged
// level is refused unless its pages are small (sessions(100) → conversation → sessions(100) →
// messages(100) costs ~2,000,000; sessions(100) → … sessions(20) → messages(20) ~84,000).
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  getNamedType,
  isObjectType,
  isInterfaceType,
  isUnionType,
  valueFromAST,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { DEFAULT_PAGE_SIZE } from '../schema/paging.js';
import { SecurityCode, securityError } from './errors.js';

export interface CostInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

export function operationOf(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
}

function isNode(type: GraphQLCompositeType): boolean {
  if (isInterfaceType(type) && type.name === 'Node') return true;
  return (isObjectType(type) || isInterfaceType(type)) && type.getInterfaces().some((i) => i.name === 'Node');
}

/** The estimated cost of the operation to run (0 when it cannot be determined: execution refuses that itself). */
export function operationCost({ schema, document, operationName, variables }: CostInput): number {
  const operation = operationOf(document, operationName);
  if (!operation) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const root = schema.getRootType(operation.operation as OperationTypeNode);
  if (!root) return 0;
  const vars = variables ?? {};

  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType, seen: ReadonlySet<string>): number => {
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        cost += walk(selection.selectionSet, (type as GraphQLCompositeType | undefined) ?? parent, seen);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        // A fragment cycle never validates; `seen` keeps an unvalidated document from looping here.
        if (!fragment || seen.has(fragment.name.value)) continue;
        const type = schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType | undefined;
        cost += walk(fragment.selectionSet, type ?? parent, new Set([...seen, fragment.name.value]));
      } else {
        if (!selection.selectionSet || isUnionType(parent)) continue;
        const field = (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[selection.name.value] : undefined;
        if (!field) continue;
        let multiplier = 1;
        const paged = field.args.some((a) => a.name === 'first' || a.name === 'last');
        const argument = (name: string) => {
          const node = selection.arguments?.find((a) => a.name.value === name);
          const definition = field.args.find((a) => a.name === name);
          return node && definition ? valueFromAST(node.value, definition.type, vars) : undefined;
        };
        if (paged) {
          const size = [argument('first'), argument('last')].find((v): v is number => typeof v === 'number');
          multiplier = Math.max(1, size ?? DEFAULT_PAGE_SIZE);
        }
        const ids = field.args.some((a) => a.name === 'ids') ? argument('ids') : undefined;
        if (Array.isArray(ids)) multiplier = Math.max(1, ids.length);
        const child = getNamedType(field.type) as GraphQLCompositeType;
        const loads = paged || isNode(child) ? 1 : 0;
        cost += multiplier * (loads + walk(selection.selectionSet, child, seen));
      }
    }
    return cost;
  };
  return walk(operation.selectionSet, root, new Set());
}

export function costError(cost: number, maxCost: number): GraphQLError {
  return securityError(SecurityCode.COST_LIMIT_EXCEEDED, `Query cost limit of ${maxCost} exceeded (estimated ${Math.ceil(cost)}); ask for smaller pages or fewer nested connections.`, 400, {
    cost: Math.ceil(cost),
    maxCost,
  });
}

/** Refuses operations over `maxCost` before they execute (queries, mutations, subscriptions; every transport). */
export function costLimitPlugin(maxCost: number, observe?: (cost: number) => void): Plugin {
  const check = (args: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; variableValues?: Record<string, unknown> | null }) => {
    const cost = operationCost({ schema: args.schema, document: args.document, operationName: args.operationName ?? null, variables: args.variableValues ?? null });
    observe?.(cost);
    return cost > maxCost ? costError(cost, maxCost) : null;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
