import { cacheExchange, type Cache, type KeyingConfig } from '@urql/exchange-graphcache';
import type { IntrospectionQuery } from 'graphql';
// The files the server's codegen publishes beside schema/schema.graphql (docs/clients.md).
import cacheKeys from '../../../schema/cache-keys.json' with { type: 'json' };
import introspection from '../../../schema/introspection.json' with { type: 'json' };

/** Types with no identity of their own (errors, permissions…) live inside their parent. */
const keys: KeyingConfig = Object.fromEntries(cacheKeys.embedded.map((type) => [type, () => null]));

/**
 * urql's normalised cache, configured from the published schema and keys: no warnings, union
 * members matched exactly, and each dialog stored once, under its canonical `id`.
 *
 * `dialog(id:)` is redirected to the Dialog the cache already holds (loaded by a list, say), so the
 * detail of a listed dialog needs no request; an id the cache does not hold goes to the server.
 */
export function dialogCache() {
  return cacheExchange({
    schema: introspection as unknown as IntrospectionQuery,
    keys,
    resolvers: {
      Query: {
        dialog: (parent, args, cache: Cache, info) => {
          const key = cache.keyOfEntity({ __typename: 'Dialog', id: String(args.id) });
          return key && cache.resolve(key, 'id') !== undefined
            ? key
            : cache.resolve(parent as never, info.fieldName, args);
        },
      },
    },
  });
}
