import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { printedSchema, schemaFilePath } from '../../src/schema/print.js';

describe('schema.graphql', () => {
  it('is the schema the code builds (run `npm run schema:print` after changing types)', async () => {
    expect(await readFile(schemaFilePath, 'utf8')).toBe(printedSchema());
  });

  it('keeps the contract names (docs/architecture.md, "Contract names")', () => {
    const sdl = printedSchema();
    for (const name of [
      'interface Node',
      'interface Session implements Node',
      'type BotFlowSession implements Node & Session',
      'type EinsteinBotSession implements Node & Session',
      'type ChatlayerSession implements Node & Session',
      'type JourneySession implements Node & Session',
      'type Message implements Node',
      'type Conversation implements Node',
      'enum Vendor',
      'enum SessionStatus',
      'enum SessionOutcome',
      'input SessionFilter',
    ]) {
      expect(sdl).toContain(name);
    }
  });
});
