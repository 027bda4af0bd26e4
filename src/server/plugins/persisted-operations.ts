import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { Plugin } from 'graphql-yoga';

/**
 * A persisted-operations manifest: `{ "<sha256 of the document>": "<document>" }`, as GraphQL Code
 * Generator's client preset writes it (`persistedDocuments: true`). Throws with a one-line reason.
 */
export function loadPersistedOperations(path: string): ReadonlyMap<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${path} as JSON (${(error as NodeJS.ErrnoException).code ?? 'invalid JSON'})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${path} must be a JSON object of hash → document`);
  }
  const entries = Object.entries(parsed);
  if (entries.length === 0 || !entries.every(([hash, document]) => /^[0-9a-f]{64}$/.test(hash) && typeof document === 'string')) {
    throw new Error(`${path} must map sha256 hashes to GraphQL documents`);
  }
  return new Map(entries as Array<[string, string]>);
}

const HOW_TO_SEND = 'send the sha256 hash of a listed operation as extensions.persistedQuery.sha256Hash (or as documentId) '
  + 'instead of a query document. The list is the manifest GraphQL Code Generator writes (persisted-documents.json).';

/** What a client that sends a query document is told in persisted-only mode. */
export const PERSISTED_ONLY_MESSAGE = `This server runs only persisted operations (PERSISTED_OPERATIONS is set): ${HOW_TO_SEND}`;
/** … and one that sends neither a document nor a hash. */
export const PERSISTED_ID_REQUIRED_MESSAGE = `This server runs only persisted operations (PERSISTED_OPERATIONS is set), and this request names none: ${HOW_TO_SEND}`;

/**
 * Only the listed operations run, as frontends use in production: a client sends the hash
 * (`extensions.persistedQuery.sha256Hash`, or `documentId`), never a document of its own.
 */
export function usePersistedOperationsOnly(manifest: ReadonlyMap<string, string>): Plugin {
  return usePersistedOperations({
    getPersistedOperation: (hash) => manifest.get(hash) ?? null,
    allowArbitraryOperations: false,
    customErrors: {
      // The plugin's own words ("PersistedQueryOnly", code CANNOT_SEND_PQ_ID_AND_BODY) leave someone
      // trying a query in curl or GraphiQL guessing; say what this server runs and how to send it.
      persistedQueryOnly: { message: PERSISTED_ONLY_MESSAGE, extensions: { code: 'PERSISTED_QUERY_ONLY' } },
      keyNotFound: { message: PERSISTED_ID_REQUIRED_MESSAGE, extensions: { code: 'PERSISTED_QUERY_ID_REQUIRED' } },
      // notFound keeps the plugin's "PersistedQueryNotFound" (code PERSISTED_QUERY_NOT_IN_LIST):
      // clients of the automatic persisted queries protocol recognise exactly that message.
    },
  });
}
