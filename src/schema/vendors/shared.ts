// What the four vendor files have in common: reading vendor dates and enum values without ever failing a
// query on a value the vendor sent, and the one Genesys reference type both Genesys files use.
import type { Session } from '../../generated/prisma/client.js';
import { parseDate } from '../../vendors/shared.js';
import { builder } from '../builder.js';
import type { VendorEnum } from '../enums.js';
import type { VendorDocument } from '../message.js';

type Types = typeof builder.$inferSchemaTypes;
type FieldBuilder<Parent> = PothosSchemaTypes.ObjectFieldBuilder<Types, Parent>;

/**
 * The known (literal) members of an open vendor enum such as `'Chat' | 'Call' | (string & {})`: the
 * `string & {}` member is what lets a later vendor value through, and is not a value of its own.
 */
export type KnownValues<Open extends string> = Open extends string ? (string extends Open ? never : Open) : never;

/**
 * The documented values of a vendor enum, as a runtime list. Taking a record keyed by the native
 * type's literals makes the compiler reject a missing or misspelt value, so the GraphQL enum cannot
 * drift from the native type.
 */
export function knownValues<Open extends string>(all: Record<KnownValues<Open>, true>): string[] {
  return Object.keys(all);
}

/** The row's `data` as a JSON object; `{}` for anything else, so a damaged row reads as "all absent". */
export function sessionData(session: Pick<Session, 'data'>): VendorDocument {
  const { data } = session;
  return data !== null && typeof data === 'object' && !Array.isArray(data) ? data : {};
}

/** A vendor timestamp as a Date; null when absent or unparseable (the raw value stays in the document). */
export function dateOrNull(value: unknown): Date | null {
  return typeof value === 'string' || typeof value === 'number' ? parseDate(value) : null;
}

/** The raw value of a vendor enum field, for its `...Raw` sibling; null when absent. */
export function rawString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * A vendor enum field and its `<name>Raw` sibling. The enum answers UNKNOWN for a value Parley does not
 * know yet; the sibling keeps the vendor's own spelling, so nothing the vendor sent is lost.
 */
export function enumWithRaw<Parent, Name extends string>(
  t: FieldBuilder<Parent>,
  name: Name,
  vendorEnum: VendorEnum,
  read: (parent: Parent) => unknown,
  description: string,
) {
  const fields = {
    [name]: t.field({
      type: vendorEnum.ref,
      nullable: true,
      description: `${description} UNKNOWN for a value Parley does not know yet: see \`${name}Raw\`.`,
      resolve: (parent) => vendorEnum.fromRaw(read(parent)),
    }),
    [`${name}Raw`]: t.string({
      nullable: true,
      description: `\`${name}\` exactly as the vendor sent it.`,
      resolve: (parent) => rawString(read(parent)),
    }),
  };
  // Computed keys widen to `string`; these are exactly the two keys built above.
  return fields as Record<Name | `${Name}Raw`, (typeof fields)[string]>;
}

/** The same for a list of enum values (`inputModes` and `inputModesRaw`). */
export function enumListWithRaw<Parent, Name extends string>(
  t: FieldBuilder<Parent>,
  name: Name,
  vendorEnum: VendorEnum,
  read: (parent: Parent) => readonly unknown[] | null | undefined,
  description: string,
) {
  const fields = {
    [name]: t.field({
      type: [vendorEnum.ref],
      nullable: true,
      description: `${description} UNKNOWN for a value Parley does not know yet: see \`${name}Raw\`.`,
      resolve: (parent) => read(parent)?.map((raw) => vendorEnum.fromRaw(raw) ?? 'UNKNOWN') ?? null,
    }),
    [`${name}Raw`]: t.stringList({
      nullable: true,
      description: `\`${name}\` exactly as the vendor sent them.`,
      resolve: (parent) => read(parent)?.map((raw) => rawString(raw) ?? '') ?? null,
    }),
  };
  return fields as Record<Name | `${Name}Raw`, (typeof fields)[string]>;
}

/** Genesys Cloud's reference to another object (a conversation, a user, an external contact...). */
export interface GenesysEntityRef {
  id?: string;
  selfUri?: string;
}

export const AddressableEntityRefType = builder.objectRef<GenesysEntityRef>('AddressableEntityRef').implement({
  description: 'A Genesys Cloud reference to another object: its id and the API URI that returns it.',
  fields: (t) => ({
    id: t.exposeString('id', { nullable: true, description: 'The globally unique identifier for the object.' }),
    selfUri: t.exposeString('selfUri', { nullable: true, description: 'The URI for this object.' }),
  }),
});
