// npm run schema:print — writes schema.graphql from the code-first schema (a test fails when it is stale).
import { writeFile } from 'node:fs/promises';
import { printedSchema, schemaFilePath } from '../src/schema/print.js';

await writeFile(schemaFilePath, printedSchema());
console.log(`wrote ${schemaFilePath}`);
