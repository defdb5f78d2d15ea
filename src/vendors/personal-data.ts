// Personal data as the vendor models declare it (`graphql: { personal }`, ./model-kit.ts), read back
// from the schemas: where in a document each personal member sits (README's table, the tests), and a
// plan for withholding them from a stored document (src/schema/personal-data.ts applies it to every
// JSON-valued output). The rule is written once, on the member; nothing here names a vendor field.
//
// Rules compose: a member inside a personal member is withheld with it, and may have a rule of its
// own (a Chatlayer message body is message text, and the place inside it personal for every tenant).
import type { TSchema } from '@sinclair/typebox';
import type { GraphqlFieldAnnotation } from './model-kit.js';

export type PersonalRule = NonNullable<GraphqlFieldAnnotation['personal']>;

/** One step into a document: a member by name, every item of an array, every value of a map. */
export type PathStep = { member: string } | { items: true } | { values: true };

export interface PersonalPlace {
  /** JSONPath of the member: `$.lastPage.url`, `$.turns[*].userInput`, `$.attributes.*`. */
  path: string;
  steps: readonly PathStep[];
  rule: PersonalRule;
  /** The member's own schema (what a value there looks like). */
  schema: TSchema;
}

/** What withholding needs to know below a schema: only the branches that lead to a personal member. */
export interface WithholdPlan {
  rule?: PersonalRule;
  members?: ReadonlyMap<string, WithholdPlan>;
  items?: WithholdPlan;
  values?: WithholdPlan;
}

interface SchemaShape {
  graphql?: GraphqlFieldAnnotation;
  properties?: Record<string, TSchema>;
  items?: TSchema | TSchema[];
  patternProperties?: Record<string, TSchema>;
  additionalProperties?: TSchema | boolean;
  anyOf?: unknown;
  oneOf?: unknown;
  allOf?: unknown;
}

const shape = (schema: TSchema) => schema as unknown as SchemaShape;

export function personalRule(schema: TSchema): PersonalRule | undefined {
  return shape(schema).graphql?.personal;
}

/** The schemas directly below `schema`, by the step that reaches them. */
function childrenOf(schema: TSchema): [PathStep, TSchema][] {
  const s = shape(schema);
  // A combinator would make a member's schema depend on its value; no model uses one, and a model
  // that starts to must teach this walk (else its personal members would go unseen).
  if (s.anyOf !== undefined || s.oneOf !== undefined || s.allOf !== undefined) {
    throw new Error('a vendor model uses anyOf/oneOf/allOf: src/vendors/personal-data.ts cannot see personal members below it');
  }
  const children: [PathStep, TSchema][] = [];
  for (const [name, member] of Object.entries(s.properties ?? {})) children.push([{ member: name }, member]);
  if (s.items !== undefined && !Array.isArray(s.items)) children.push([{ items: true }, s.items]);
  for (const value of Object.values(s.patternProperties ?? {})) children.push([{ values: true }, value]);
  if (typeof s.additionalProperties === 'object') children.push([{ values: true }, s.additionalProperties]);
  return children;
}

function pathOf(steps: readonly PathStep[]): string {
  return `$${steps.map((step) => ('member' in step ? (/^[A-Za-z_$][\w$]*$/.test(step.member) ? `.${step.member}` : `[${JSON.stringify(step.member)}]`) : 'items' in step ? '[*]' : '.*')).join('')}`;
}

/** Every personal member of documents of `model`, outermost first (members of a personal member included). */
export function personalPlaces(model: TSchema): PersonalPlace[] {
  const places: PersonalPlace[] = [];
  const walk = (schema: TSchema, steps: PathStep[]) => {
    for (const [step, child] of childrenOf(schema)) {
      const at = [...steps, step];
      const rule = personalRule(child);
      if (rule !== undefined) places.push({ path: pathOf(at), steps: at, rule, schema: child });
      walk(child, at);
    }
  };
  walk(model, []);
  return places;
}

const plans = new WeakMap<TSchema, WithholdPlan | null>();

/** The withholding plan of documents of `schema`; null when nothing in them is personal. */
export function withholdPlan(schema: TSchema): WithholdPlan | null {
  const known = plans.get(schema);
  if (known !== undefined) return known;
  const rule = personalRule(schema);
  const members = new Map<string, WithholdPlan>();
  let items: WithholdPlan | null = null;
  let values: WithholdPlan | null = null;
  for (const [step, child] of childrenOf(schema)) {
    const plan = withholdPlan(child);
    if (plan === null) continue;
    if ('member' in step) members.set(step.member, plan);
    else if ('items' in step) items = plan;
    else values = plan;
  }
  const plan: WithholdPlan | null =
    rule === undefined && members.size === 0 && items === null && values === null
      ? null
      : {
          ...(rule === undefined ? {} : { rule }),
          ...(members.size === 0 ? {} : { members }),
          ...(items === null ? {} : { items }),
          ...(values === null ? {} : { values }),
        };
  plans.set(schema, plan);
  return plan;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * `value` with every member whose rule `may` refuses replaced by null (the member is still there, so
 * a client sees it was withheld rather than never sent). The stored value is never changed: what is
 * withheld is copied around, the rest is shared. A value of another shape than its schema (a damaged
 * row) is walked as far as it matches.
 */
export function withhold(value: unknown, plan: WithholdPlan | null, may: (rule: PersonalRule) => boolean): unknown {
  if (plan === null || value === null || value === undefined) return value;
  if (plan.rule !== undefined && !may(plan.rule)) return null;
  if (Array.isArray(value)) {
    const items = plan.items;
    if (items === undefined) return value;
    const kept = value.map((item) => withhold(item, items, may));
    return kept.every((item, index) => item === value[index]) ? value : kept;
  }
  if (!isObject(value)) return value;
  let copy: Record<string, unknown> | null = null;
  for (const key of Object.keys(value)) {
    const member = plan.members?.get(key) ?? plan.values;
    if (member === undefined) continue;
    const kept = withhold(value[key], member, may);
    if (kept === value[key]) continue;
    copy ??= { ...value };
    // Defined, not assigned: a member named `__proto__` stays a member.
    Object.defineProperty(copy, key, { value: kept, enumerable: true, writable: true, configurable: true });
  }
  return copy ?? value;
}
