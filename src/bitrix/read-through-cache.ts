/** A per-caller cache of things read from the portal (dialogs, users), keyed by their id. */
export interface CallerCache<T> {
  getMany(callerIdentity: string, ids: readonly string[]): Promise<Map<string, T>>;
  setMany(callerIdentity: string, values: readonly T[]): Promise<void>;
}

/**
 * Serves what the cache holds for this caller and asks the portal only for the rest (one answer
 * or error per id, in order); what the portal gave is cached for this caller, its errors are not.
 */
export async function readThroughCache<T extends object>(
  cache: CallerCache<T>,
  callerIdentity: string,
  ids: readonly string[],
  loadFromPortal: (missing: readonly string[]) => Promise<Array<T | Error>>,
): Promise<Array<T | Error>> {
  const cached = await cache.getMany(callerIdentity, ids);
  const missing = ids.filter((id) => !cached.has(id));
  const loaded = missing.length > 0 ? await loadFromPortal(missing) : [];
  const fresh = new Map<string, T | Error>(
    missing.map((id, index) => [id, loaded[index] as T | Error]),
  );
  await cache.setMany(
    callerIdentity,
    [...fresh.values()].filter((result): result is T => !(result instanceof Error)),
  );
  return ids.map((id) => cached.get(id) ?? (fresh.get(id) as T | Error));
}
