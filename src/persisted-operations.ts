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

/**
 * Only the listed operations run, as frontends use in production: a client sends the hash
 * (`extensions.persistedQuery.sha256Hash`, or `documentId`), never a document of its own.
 */
export function usePersistedOperationsOnly(manifest: ReadonlyMap<string, string>): Plugin {
  return usePersistedOperations({
    getPersistedOperation: (hash) => manifest.get(hash) ?? null,
    allowArbitraryOperations: false,
  });
}
