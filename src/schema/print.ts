import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './index.js';

export const schemaFilePath = path.resolve(import.meta.dirname, '../../schema.graphql');

/** Sorted, so the checked-in file changes only when the schema does, not when modules move. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
