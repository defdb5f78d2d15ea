// What Genesys Cloud's bot flow and journey documents share: its reference to another object. The SDK
// (MyPureCloud/platform-client-sdk-python build/docs/AddressableEntityRef.md) gives it no descriptions.
import { V, type Static } from '../model-kit.js';

/** A Genesys reference model under one of its SDK names (`AddressableEntityRef`, `ConnectedQueue`...). */
export const genesysRef = (
  names: { title: string; input: string; output?: string },
  description: string,
  id: { description?: string; vendorRequired?: boolean } = {},
) =>
  V.object(
    names,
    {
      id: V.string({ description: id.description ?? 'The globally unique identifier for the object.', vendorRequired: id.vendorRequired ?? false }),
      selfUri: V.string({ description: 'The URI for this object.' }),
    },
    { description },
  );

export const AddressableEntityRef = genesysRef(
  { title: 'AddressableEntityRef', input: 'GenesysAddressableEntityRefInput', output: 'AddressableEntityRef' },
  'A Genesys Cloud reference to another object (a conversation, a user...): its id and the API URI that returns it.',
);

export type AddressableEntityRef = Static<typeof AddressableEntityRef>;
