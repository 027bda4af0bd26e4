import { builder } from './builder.js';
import { guardEntities } from './entities-guard.js';
import { describeFederation } from './federation-descriptions.js';
import './errors.js';
import './dialog.js';
import './user.js';
import './query.js';

/** The served schema: a Federation v2 subgraph (`@link`, `_service`, `_entities`) that is also a plain API. */
export const schema = guardEntities(
  describeFederation(
    builder.toSubGraphSchema({
      linkUrl: 'https://specs.apollo.dev/federation/v2.6',
      federationDirectives: ['@key'],
    }),
  ),
);
