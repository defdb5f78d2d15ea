import { GraphQLScalarType, type ValueNode } from 'graphql';
import { DateTimeResolver, JSONObjectResolver, JSONResolver, SafeIntResolver } from 'graphql-scalars';
import { isStorableDate, TIMESTAMP_RANGE } from '../db/storable.js';
import { builder } from './builder.js';
import { ErrorCode, userError } from './errors.js';

/**
 * graphql-scalars' DateTime, refusing what a `timestamptz` parameter cannot carry: RFC 3339 allows
 * year 0000 and offsets that move 9999-12-31 into year 10000, which PostgreSQL refuses (the statement
 * failed, an internal error). Refused here, a variable's error names the variable and its path.
 */
function storable(date: Date): Date {
  if (!isStorableDate(date)) {
    throw userError(ErrorCode.BAD_USER_INPUT, `DateTime must be ${TIMESTAMP_RANGE}: PostgreSQL cannot hold ${date.toISOString()}.`);
  }
  return date;
}

const StorableDateTime = new GraphQLScalarType<Date, Date | string>({
  ...DateTimeResolver.toConfig(),
  parseValue: (value: unknown) => storable(DateTimeResolver.parseValue(value) as Date),
  // One parameter, as DateTime's own: graphql-jit warns about (and does not support) a literal parser
  // that takes variables, and a date literal has none.
  parseLiteral: (ast: ValueNode) => storable(DateTimeResolver.parseLiteral(ast) as Date),
});

builder.addScalarType('DateTime', StorableDateTime);
builder.addScalarType('JSON', JSONResolver);
builder.addScalarType('JSONObject', JSONObjectResolver);
builder.addScalarType('SafeInt', SafeIntResolver);
