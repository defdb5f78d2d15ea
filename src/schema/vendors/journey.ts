// Genesys Cloud customer journey sessions (seed 004, Journey API `Session`): every field comes from the
// vendor model (src/vendors/genesys-journey/model.ts). The seed's `id` is the interface's `externalId`;
// its own `externalId` is `sourceExternalId`, its `conversation` reference `conversationRef`. Only the
// attribute maps are written here: the graph reads each as a list of named entries.
import type { SessionRow } from '../../queries/sessions.js';
import { CustomEventAttribute, CustomEventAttributeList, JourneySession } from '../../vendors/genesys-journey/model.js';
import { builder } from '../builder.js';
import { personalScopes, withPersonalNote } from '../personal-data.js';
import { JourneySessionRef } from '../session.js';
import { vendorOutputFields } from '../vendor-model.js';
import { sessionData } from './shared.js';

type Doc = Record<string, unknown>;
/** An entry of a Genesys attribute map, with its name. */
type Named = Doc & { name: string };

/** Genesys sends attributes as a map by name; as a list each entry carries its name, in the order sent. */
function namedEntries(map: unknown): Named[] | null {
  if (map === null || typeof map !== 'object' || Array.isArray(map)) return null;
  return Object.entries(map as Doc).map(([name, entry]) =>
    entry !== null && typeof entry === 'object' && !Array.isArray(entry) ? { ...(entry as Doc), name } : { name },
  );
}

const namedType = (name: string, model: typeof CustomEventAttribute | typeof CustomEventAttributeList) =>
  builder.objectRef<Named>(name).implement({
    ...(model.description === undefined ? {} : { description: model.description }),
    fields: (t) => ({
      name: t.string({ description: 'The name of the attribute (its key in the Genesys map).', resolve: (entry) => entry.name }),
      ...vendorOutputFields(t, model, (entry) => entry),
    }),
  });

const CustomEventAttributeType = namedType('CustomEventAttribute', CustomEventAttribute);
const CustomEventAttributeListType = namedType('CustomEventAttributeList', CustomEventAttributeList);

builder.objectFields(JourneySessionRef, (t) => ({
  ...vendorOutputFields(t, JourneySession, (s: SessionRow, ctx) => sessionData(s, ctx)),
  attributes: t.field({
    type: [CustomEventAttributeType],
    nullable: true,
    description: withPersonalNote(JourneySession.properties.attributes.description!, JourneySession.properties.attributes),
    ...personalScopes(JourneySession.properties.attributes),
    resolve: async (s: SessionRow, _args, ctx) => namedEntries((await sessionData(s, ctx)).attributes),
  }),
  attributeLists: t.field({
    type: [CustomEventAttributeListType],
    nullable: true,
    description: withPersonalNote(JourneySession.properties.attributeLists.description!, JourneySession.properties.attributeLists),
    ...personalScopes(JourneySession.properties.attributeLists),
    resolve: async (s: SessionRow, _args, ctx) => namedEntries((await sessionData(s, ctx)).attributeLists),
  }),
}));
