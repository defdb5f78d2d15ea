// Every operation the monitor page sends is valid against the schema: the page cannot drift from the API.
import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as operations from '../../web/src/operations.js';

const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));

describe("the monitor page's operations", () => {
  const documents = (Object.entries(operations) as [string, unknown][]).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string' && /^\s*(query|subscription)\b/.test(entry[1]),
  );

  it('are all found', () => {
    expect(documents.map(([name]) => name).sort()).toEqual(['ACTIVE', 'SESSION', 'SESSIONS', 'SESSION_MESSAGES', 'SESSION_UPDATES', 'TODAY', 'TODAY_UPDATES']);
  });

  for (const [name, document] of documents) {
    it(`${name} validates against schema.graphql`, () => {
      expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
    });
  }
});
