// The cost limit: an estimate of how many rows an operation may load, checked before it executes,
// when the variables are known. GraphQL Armor's cost-limit rule runs at validation, before variables
// exist, so it multiplies only by literal `first: 50` — `first: $n` would cost as much as `first: 1`.
// So the estimate is graphql-query-complexity's (`createComplexityRule`, run by hand in `onExecute` /
// `onSubscribe` with the request's variables) with the estimator below: the library walks the
// operation (fragments, inline fragments, @skip/@include) and coerces each field's arguments from
// literals and variables as execution will (variable defaults included); the estimator prices a field.
//
// The model: a field costs 1 when it loads something — it returns a `Node` (a session, a message, a
// conversation: a row) or it is a paged connection (one query) — times the number of times it may be
// resolved. A field with `first`/`last` multiplies everything below it by that page size (20 when
// neither is given, the default page); a field with a list argument `ids` by the list's length.
// Scalars and the vendors' embedded objects (`flow`, `nlp`, `turn { knowledge { ... } }`: parts of
// the row already loaded) are free; their number is bounded by the token, depth and alias limits.
// Below a field of an abstract type (`node`, `nodes`, a `Session`), type conditions that cannot both
// match one object count as alternatives: the costliest one counts, not their sum.
//
// Measured (scripts/measure-limits.ts for README's operations; the test suites for the rest): the
// README dashboard with `sessions(first: 50)` and `messages(first: 20)` costs 2,150; the README's
// other operations at most 231; the costliest test query, 100 sessions × 100 messages with every
// vendor field, 20,301. Limit 25,000: a full two-level page (100 × 100) passes, while a third paged
// level is refused unless its pages are small (sessions(100) → conversation → sessions(100) →
// messages(100) costs ~2,000,000; sessions(100) → … sessions(20) → messages(20) ~84,000).
import {
  type GraphQLError,
  Kind,
  TypeInfo,
  ValidationContext,
  getNamedType,
  getVariableValues,
  isInterfaceType,
  isObjectType,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { createComplexityRule, type ComplexityEstimator } from 'graphql-query-complexity';
import type { Plugin } from 'graphql-yoga';
import { DEFAULT_PAGE_SIZE } from '../schema/paging.js';
import { requestError, SecurityCode } from './errors.js';
import { refuseBeforeRunning } from './refuse-before-running.js';

export interface CostInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/**
 * How many selections the estimate may visit, a fragment's again each time it is spread: far over any
 * real operation (the token limit keeps a document under 1,000 tokens; GraphiQL's introspection query
 * visits a few hundred). A document whose fragments spread fragments to fan out past it is refused as
 * too costly to estimate rather than walked for ever.
 */
export const MAX_ESTIMATED_SELECTIONS = 10_000;

function operationOf(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
}

function isNode(type: GraphQLNamedType): boolean {
  if (isInterfaceType(type) && type.name === 'Node') return true;
  return (isObjectType(type) || isInterfaceType(type)) && type.getInterfaces().some((i) => i.name === 'Node');
}

/** The model, for one field: `args` are already coerced, `childComplexity` is the cost of its selections. */
const rowEstimator: ComplexityEstimator = ({ field, node, args, childComplexity }) => {
  if (!node.selectionSet) return 0; // a scalar or an enum: part of the row already loaded
  const paged = field.args.some((a) => a.name === 'first' || a.name === 'last');
  let multiplier = 1;
  if (paged) {
    const size = [args.first, args.last].find((v): v is number => typeof v === 'number');
    multiplier = Math.max(1, size ?? DEFAULT_PAGE_SIZE);
  }
  if (field.args.some((a) => a.name === 'ids') && Array.isArray(args.ids)) multiplier = Math.max(1, args.ids.length);
  const loads = paged || isNode(getNamedType(field.type)) ? 1 : 0;
  return multiplier * (loads + childComplexity);
};

/** The operation to run, when there is one and its variables coerce (else execution refuses it itself). */
function runnableOperation({ schema, document, operationName, variables }: CostInput): OperationDefinitionNode | undefined {
  const operation = operationOf(document, operationName);
  if (!operation || getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}).errors) return undefined;
  return operation;
}

/**
 * The estimated cost of the operation to run. 0 when there is nothing to estimate: no single operation
 * to run, or variables that do not coerce (execution refuses both itself, graphql-jit as graphql-js).
 * Infinity when it cannot be estimated: more than MAX_ESTIMATED_SELECTIONS selections, or a field whose
 * arguments do not coerce (graphql-js would fail only that field, but graphql-jit runs it: so it is not
 * left out, the operation is refused).
 */
export function operationCost(input: CostInput): number {
  const operation = runnableOperation(input);
  return operation ? estimate(input, operation) : 0;
}

/** The library's walk of `operation` (and the fragments) with the estimator above. */
function estimate({ schema, document, variables }: CostInput, operation: OperationDefinitionNode): number {
  // Only the operation that runs, and the fragments: the library adds up every operation it is given.
  const query: DocumentNode = { ...document, definitions: document.definitions.filter((d) => d === operation || d.kind === Kind.FRAGMENT_DEFINITION) };
  let cost = 0;
  let estimated = true;
  const rule = createComplexityRule({
    maximumComplexity: Infinity,
    estimators: [rowEstimator],
    variables: variables ?? {},
    maxQueryNodes: MAX_ESTIMATED_SELECTIONS,
    onComplete: (complexity) => (cost = complexity),
  });
  // What the library's getComplexity does, keeping what it reports instead of throwing the first.
  const typeInfo = new TypeInfo(schema);
  const context = new ValidationContext(schema, query, typeInfo, () => (estimated = false));
  try {
    visit(query, visitWithTypeInfo(typeInfo, rule(context)));
  } catch {
    return Infinity; // past maxQueryNodes (thrown, not reported); anything else unexpected fails closed
  }
  return estimated ? cost : Infinity;
}

export function costError(cost: number, maxCost: number): GraphQLError {
  if (!Number.isFinite(cost)) {
    return requestError(
      SecurityCode.COST_LIMIT_EXCEEDED,
      `Query cost limit of ${maxCost} exceeded: its cost cannot be estimated (more than ${MAX_ESTIMATED_SELECTIONS} selections with its fragments expanded, or an argument that does not coerce).`,
      { cost: null, maxCost },
    );
  }
  return requestError(
    SecurityCode.COST_LIMIT_EXCEEDED,
    `Query cost limit of ${maxCost} exceeded (estimated ${Math.ceil(cost)}); ask for smaller pages or fewer nested connections.`,
    {
      cost: Math.ceil(cost),
      maxCost,
    },
  );
}

// ---- The estimate, remembered ----
// Walking an operation costs 30–80 µs (the README dashboard, the benchmark's operations), several
// times the hand-written walk it replaced; clients send the same few documents over and over, and Yoga's
// parse cache hands the same DocumentNode object for the same text. So each (schema, document) keeps the
// costs it has computed, keyed by what the estimate reads of the variables: the value of every variable
// used in a `first`, `last` or `ids` argument or a directive's `if`, and of every other variable only
// whether it is absent, null or given — once the operation's variables coerce (checked on every request,
// as the key does not hold their values), a field's arguments can fail to coerce only on a null (a
// nullable variable with a default, passed where null is not allowed). Cursors, filters and ids
// therefore share one entry. test/unit/cost.test.ts checks the
// remembered estimate against a fresh one over random request sequences.

/** Entries per document; past it the document's entries are dropped (a client paging through `first` values). */
export const COST_CACHE_ENTRIES_PER_DOCUMENT = 64;

const PRICED_ARGUMENTS = new Set(['first', 'last', 'ids', 'if']);

interface DocumentCosts {
  /** The variables the document's operations define, in order: execution reads no others. */
  defined: readonly string[];
  /** Those the estimate reads the value of. */
  priced: ReadonlySet<string>;
  costs: Map<string, number>;
}

const remembered = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, DocumentCosts>>();

function documentCosts(document: DocumentNode): DocumentCosts {
  const defined = new Set<string>();
  const priced = new Set<string>();
  visit(document, {
    VariableDefinition: (definition) => void defined.add(definition.variable.name.value),
    Argument(argument) {
      if (!PRICED_ARGUMENTS.has(argument.name.value)) return;
      visit(argument.value, { Variable: (variable) => void priced.add(variable.name.value) });
    },
  });
  return { defined: [...defined].sort(), priced, costs: new Map() };
}

function costKey(operationName: string | null | undefined, entry: DocumentCosts, variables: Record<string, unknown>): string {
  const parts: unknown[] = [operationName ?? null];
  for (const name of entry.defined) {
    const value = variables[name];
    // Absent and given as undefined are not the same to graphql-js (only the first takes the default).
    const state = !Object.hasOwn(variables, name) ? 'absent' : value === undefined ? 'undefined' : value === null ? 'null' : 'given';
    parts.push(state === 'given' && entry.priced.has(name) ? { value } : state);
  }
  return JSON.stringify(parts);
}

/** operationCost, remembered per document for the variable values it depends on. */
export function rememberedOperationCost(input: CostInput): number {
  let documents = remembered.get(input.schema);
  if (!documents) {
    documents = new WeakMap();
    remembered.set(input.schema, documents);
  }
  let entry = documents.get(input.document);
  if (!entry) {
    entry = documentCosts(input.document);
    documents.set(input.document, entry);
  }
  // Whether the variables coerce is decided on every request (values the key does not hold can fail).
  const operation = runnableOperation(input);
  if (!operation) return 0;
  const key = costKey(input.operationName, entry, input.variables ?? {});
  const known = entry.costs.get(key);
  if (known !== undefined) return known;
  const cost = estimate(input, operation);
  if (entry.costs.size >= COST_CACHE_ENTRIES_PER_DOCUMENT) entry.costs.clear();
  entry.costs.set(key, cost);
  return cost;
}

/** Refuses operations over `maxCost` before they execute (queries, mutations, subscriptions; every transport). */
export function costLimitPlugin(maxCost: number, observe?: (cost: number) => void): Plugin {
  return refuseBeforeRunning((operation) => {
    const cost = rememberedOperationCost({
      schema: operation.schema,
      document: operation.document,
      operationName: operation.operationName ?? null,
      variables: operation.variableValues ?? null,
    });
    observe?.(cost);
    return cost > maxCost ? costError(cost, maxCost) : null;
  });
}
