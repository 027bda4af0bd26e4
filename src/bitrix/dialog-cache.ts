import { LRUCache } from 'lru-cache';
import type { Dialog } from './types.js';

/** Where cached dialogs live: this process (an LRU), or Redis shared by replicas. */
export interface DialogCacheStore {
  getMany(keys: readonly string[]): Promise<ReadonlyArray<Dialog | undefined>>;
  setMany(
    entries: ReadonlyArray<readonly [key: string, dialog: Dialog]>,
    ttlMs: number,
  ): Promise<void>;
}

/**
 * 128 MiB of dialogs as JSON. Bounded by entries alone, 2 000 general chats of 5 000 readers each
 * held 1.9 GB (the default 10 000 entries would have needed ~9.5 GB): the size bound is what holds.
 */
export const DEFAULT_CACHE_MAX_BYTES = 128 * 1024 * 1024;

/**
 * What a dialog weighs in the cache: the length of its JSON, which grows with what the heap holds
 * (readers, muted ids, managers). Taken once per entry, when it is stored.
 */
export function dialogSize(dialog: Dialog): number {
  return Math.max(1, JSON.stringify(dialog).length);
}

/**
 * A bounded in-process store: least recently used entries go first, past `maxEntries` or past
 * `maxBytes` of dialogs (a dialog larger than that alone is not cached); every entry expires.
 */
export class MemoryDialogCacheStore implements DialogCacheStore {
  private readonly entries: LRUCache<string, Dialog>;

  constructor(maxEntries: number, maxBytes: number = DEFAULT_CACHE_MAX_BYTES) {
    this.entries = new LRUCache<string, Dialog>({
      max: maxEntries,
      maxSize: maxBytes,
      sizeCalculation: dialogSize,
    });
  }

  /** The JSON bytes of the dialogs held now. */
  get bytes(): number {
    return this.entries.calculatedSize;
  }

  get size(): number {
    return this.entries.size;
  }

  async getMany(keys: readonly string[]): Promise<ReadonlyArray<Dialog | undefined>> {
    return keys.map((key) => this.entries.get(key));
  }

  async setMany(entries: ReadonlyArray<readonly [string, Dialog]>, ttlMs: number): Promise<void> {
    for (const [key, dialog] of entries) this.entries.set(key, dialog, { ttl: ttlMs });
  }
}

/**
 * A short-lived cache of dialogs across requests, per caller: the key holds the caller's identity
 * (a hash of the webhook or of the OAuth token, never the token), so one caller's dialogs — with its
 * role, counters and access — are never served to another. Only dialogs are cached, not errors:
 * access granted a second ago must not be hidden by a cached ACCESS_ERROR.
 *
 * The cache is an optimisation, never a dependency: a store that fails is logged and skipped.
 */
export class DialogCache {
  constructor(
    private readonly store: DialogCacheStore,
    private readonly ttlMs: number,
    private readonly onStoreError: (error: unknown) => void = () => undefined,
  ) {}

  private key(callerIdentity: string, dialogId: string): string {
    return `dialog:${callerIdentity}:${dialogId}`;
  }

  async getMany(callerIdentity: string, ids: readonly string[]): Promise<Map<string, Dialog>> {
    try {
      const found = await this.store.getMany(ids.map((id) => this.key(callerIdentity, id)));
      return new Map(
        ids.flatMap((id, index) => (found[index] ? [[id, found[index]] as const] : [])),
      );
    } catch (error) {
      this.onStoreError(error);
      return new Map();
    }
  }

  async setMany(callerIdentity: string, dialogs: readonly Dialog[]): Promise<void> {
    if (dialogs.length === 0) return;
    try {
      await this.store.setMany(
        dialogs.map((dialog) => [this.key(callerIdentity, dialog.id), dialog] as const),
        this.ttlMs,
      );
    } catch (error) {
      this.onStoreError(error);
    }
  }
}
