// npx tsx scripts/measure-limits.ts — measures every persisted operation (README's) and GraphiQL's
// introspection query against the hardening limits: depth, aliases, tokens, directives and cost, as
// the gateway counts them, next to the limits in force. (The test suites were measured the same way,
// through createGateway's `observeLimits`.)
import { getIntrospectionQuery, validate, type GraphQLError } from 'graphql';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import { schema } from '../src/schema/index.js';
import { operationCost } from '../src/security/cost.js';
import { DEFAULT_QUERY_LIMITS } from '../src/security/limits.js';
import { securityDefaults } from '../src/security/options.js';

function measure(source: string) {
  const found: Record<string, number> = {};
  const note = (name: string) => [(_: unknown, details: { n: number }) => (found[name] = Math.max(found[name] ?? 0, details.n))];
  const parser = new MaxTokensParserWLexer(source, { n: Number.MAX_SAFE_INTEGER, onAccept: note('tokens') });
  const document = parser.parseDocument();
  const never = Number.MAX_SAFE_INTEGER;
  const errors: readonly GraphQLError[] = validate(schema, document, [
    maxDepthRule({ n: never, onAccept: note('depth') }),
    maxAliasesRule({ n: never, onAccept: note('aliases') }),
    maxDirectivesRule({ n: never, onAccept: note('directives') }),
  ]);
  if (errors.length) throw errors[0];
  return { ...found, cost: operationCost({ schema, document }) };
}

const rows: [string, Record<string, number>][] = [];
for (const document of securityDefaults(false).persistedOperations.values()) {
  const named = /^(?:#[^\n]*\n)?\s*(query|mutation|subscription)\s+(\w+)/.exec(document);
  rows.push([named ? `${named[1]} ${named[2]}` : document.replace(/\s+/g, ' '), measure(document)]);
}
rows.push(['GraphiQL introspection query', measure(getIntrospectionQuery())]);
const columns = ['depth', 'aliases', 'tokens', 'directives', 'cost'] as const;
const limits = {
  depth: DEFAULT_QUERY_LIMITS.maxDepth,
  aliases: DEFAULT_QUERY_LIMITS.maxAliases,
  tokens: DEFAULT_QUERY_LIMITS.maxTokens,
  directives: DEFAULT_QUERY_LIMITS.maxDirectives,
  cost: DEFAULT_QUERY_LIMITS.maxCost,
};
console.log(['operation'.padEnd(50), ...columns.map((c) => c.padStart(10))].join(''));
for (const [name, found] of rows) console.log([name.slice(0, 49).padEnd(50), ...columns.map((c) => String(found[c] ?? 0).padStart(10))].join(''));
console.log(['limit'.padEnd(50), ...columns.map((c) => String(limits[c]).padStart(10))].join(''));
