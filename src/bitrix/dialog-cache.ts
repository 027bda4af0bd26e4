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

/** A bounded in-process store: least recently used entries go first, every entry expires. */
export class MemoryDialogCacheStore implements DialogCacheStore {
  private readonly entries: LRUCache<string, Dialog>;

  constructor(maxEntries: number) {
    this.entries = new LRUCache<string, Dialog>({ max: maxEntries });
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
