// Imports every type module (each registers itself on the builder), then builds the schema once.
import { GraphQLInterfaceType } from 'graphql';
import { builder } from './builder.js';
import { nodeTypeNames } from './global-id.js';
import './scalars.js';
import './enums.js';
import './conversation.js';
import './message.js';
import './session.js';
import './vendors/bot-flow.js';
import './vendors/einstein.js';
import './vendors/chatlayer.js';
import './vendors/journey.js';
import './ingest.js';
import './query.js';
import './connector.js';
import './subscription.js';
import './analytics.js';

export const schema = builder.toSchema({ sortSchema: false });

const nodeInterface = schema.getType('Node');
if (!(nodeInterface instanceof GraphQLInterfaceType)) throw new Error('the schema has no Node interface');
for (const type of schema.getPossibleTypes(nodeInterface)) nodeTypeNames.add(type.name);
