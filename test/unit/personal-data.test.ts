// The personal-data rules as the models declare them: README's table lists exactly what they mark, and
// withholding replaces exactly the personal members of a document, leaving the stored value untouched.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SessionKind } from '../../src/generated/prisma/enums.js';
import { sessionTypeName } from '../../src/schema/session.js';
import { vendorModules } from '../../src/vendors/index.js';
import { V } from '../../src/vendors/model-kit.js';
import { personalPlaces, withhold, withholdPlan, type PersonalRule } from '../../src/vendors/personal-data.js';

/** `document | path | rule` for every member the models mark, as README's table names them. */
function markedByModels(): string[] {
  const rows: string[] = [];
  for (const kind of Object.values(SessionKind)) {
    const { session, message } = vendorModules[kind].documents;
    for (const place of personalPlaces(session)) rows.push(`\`${sessionTypeName[kind]}\` | ${place.path} | ${place.rule}`);
    if (message !== null) {
      for (const place of personalPlaces(message)) rows.push(`\`Message\` of \`${sessionTypeName[kind]}\` | ${place.path} | ${place.rule}`);
    }
  }
  return rows.sort();
}

async function listedInReadme(): Promise<string[]> {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const table = /<!-- personal-data:start -->\n([\s\S]*?)<!-- personal-data:end -->/.exec(readme)?.[1];
  expect(table, 'README has the personal-data table between its markers').toBeDefined();
  const rows: string[] = [];
  for (const line of table!.split('\n').slice(2)) {
    if (line.trim() === '') continue;
    const [document, members, rule] = line.split(' | ').map((cell) => cell.replace(/^\| /, '').trim());
    for (const [, path] of members!.matchAll(/`(\$[^`]*)`/g)) rows.push(`${document} | ${path} | ${rule}`);
  }
  return rows.sort();
}

describe('personal data', () => {
  it("README's table lists exactly the members the vendor models mark, with their rules", async () => {
    const marked = markedByModels();
    // The journey fields issue 22 found readable without `pii` are among them.
    for (const path of ['$.conversationSubject', '$.searchTerms', '$.lastPage.url', '$.referrer.url', '$.externalId']) {
      expect(marked).toContain(`\`JourneySession\` | ${path} | always`);
    }
    expect(marked).toContain('`Message` of `ChatlayerSession` | $.message.coordinates | always');
    expect(await listedInReadme()).toEqual(marked);
  });

  const Model = V.object(
    { title: 'Test document' },
    {
      id: V.string(),
      email: V.string({ graphql: { personal: 'always' } }),
      words: V.string({ graphql: { personal: 'text' } }),
      body: V.stringOrObject({ members: { place: V.json({ graphql: { personal: 'always' } }) }, graphql: { personal: 'text' } }),
      turns: V.array(V.object({ title: 'Turn' }, { at: V.string(), said: V.string({ graphql: { personal: 'text' } }) })),
      byName: V.record(V.object({ title: 'Entry' }, { kind: V.string(), value: V.string({ graphql: { personal: 'always' } }) })),
      plain: V.jsonObject(),
    },
  );
  const plan = withholdPlan(Model);
  const may =
    (...granted: PersonalRule[]) =>
    (rule: PersonalRule) =>
      granted.includes(rule);

  it('finds every personal member, nested ones included, by JSONPath', () => {
    expect(personalPlaces(Model).map((p) => `${p.path} ${p.rule}`)).toEqual([
      '$.email always',
      '$.words text',
      '$.body text',
      '$.body.place always',
      '$.turns[*].said text',
      '$.byName.*.value always',
    ]);
    expect(withholdPlan(V.object({ title: 'Nothing personal' }, { id: V.string(), data: V.jsonObject() }))).toBeNull();
  });

  const stored = {
    id: 's-1',
    email: 'ada@example.com',
    words: 'my name is Ada',
    body: { text: 'here', place: { lat: 51.5, long: -0.1 } },
    turns: [
      { at: '1', said: 'hello' },
      { at: '2', said: 'bye' },
    ],
    byName: { mail: { kind: 'string', value: 'ada@example.com' }, ['__proto__']: { kind: 'string', value: 'secret' } },
    plain: { a: 1 },
    unknown: 'kept as stored',
  };
  // As read from the database: JSON.parse makes `__proto__` an own member, not the prototype.
  const parsed = JSON.parse(JSON.stringify(stored)) as typeof stored;

  it('withholds every member the request may not see, as null, and nothing else', () => {
    const before = JSON.stringify(parsed);
    const none = withhold(parsed, plan, may()) as Record<string, unknown>;
    expect(JSON.parse(JSON.stringify(none))).toEqual({
      id: 's-1',
      email: null,
      words: null,
      body: null,
      turns: [
        { at: '1', said: null },
        { at: '2', said: null },
      ],
      byName: { mail: { kind: 'string', value: null }, ['__proto__']: { kind: 'string', value: null } },
      plain: { a: 1 },
      unknown: 'kept as stored',
    });
    expect(Object.getPrototypeOf(none.byName)).toBe(Object.prototype);
    // Message text allowed: the body is shown, the place inside it still needs `pii`.
    const text = withhold(parsed, plan, may('text')) as typeof stored;
    expect(text.body).toEqual({ text: 'here', place: null });
    expect(text.words).toBe('my name is Ada');
    expect(text.email).toBeNull();
    // The stored value is never changed.
    expect(JSON.stringify(parsed)).toBe(before);
  });

  it('returns the stored value itself when nothing is withheld, and walks damaged values as far as they match', () => {
    expect(withhold(parsed, plan, may('always', 'text'))).toBe(parsed);
    expect(withhold('not an object', plan, may())).toBe('not an object');
    expect(withhold({ turns: 'not a list', body: 'a bare string' }, plan, may('text'))).toEqual({ turns: 'not a list', body: 'a bare string' });
    expect(withhold(null, plan, may())).toBeNull();
  });
});
