import type { DialogCacheStore } from './dialog-cache.js';
import type { Dialog, PortalUser } from './types.js';

/**
 * Users cached across requests, exactly as dialogs are (`DialogCache`): per caller identity (which
 * holds the portal, so two portals never share an entry), only users found (never a "not visible"
 * answer: a user who became visible a second ago must not stay hidden), for the same TTL, in the
 * same store (the in-process LRU or Redis), under keys of their own. A failing store is skipped.
 */
export class UserCache {
  constructor(
    private readonly store: DialogCacheStore,
    private readonly ttlMs: number,
    private readonly onStoreError: (error: unknown) => void = () => undefined,
  ) {}

  private key(callerIdentity: string, userId: string): string {
    return `user:${callerIdentity}:${userId}`;
  }

  async getMany(callerIdentity: string, ids: readonly string[]): Promise<Map<string, PortalUser>> {
    try {
      const found = await this.store.getMany(ids.map((id) => this.key(callerIdentity, id)));
      // The store keeps JSON values under string keys; these keys only ever hold users.
      const users = found as ReadonlyArray<unknown> as ReadonlyArray<PortalUser | undefined>;
      return new Map(
        ids.flatMap((id, index) => (users[index] ? [[id, users[index]] as const] : [])),
      );
    } catch (error) {
      this.onStoreError(error);
      return new Map();
    }
  }

  async setMany(callerIdentity: string, users: readonly PortalUser[]): Promise<void> {
    if (users.length === 0) return;
    try {
      await this.store.setMany(
        // The store keeps JSON values under string keys; these keys only ever hold users.
        users.map(
          (user) => [this.key(callerIdentity, user.id), user as unknown as Dialog] as const,
        ),
        this.ttlMs,
      );
    } catch (error) {
      this.onStoreError(error);
    }
  }
}
