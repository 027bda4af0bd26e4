import DataLoader from 'dataloader';
import { readThroughCache } from './read-through-cache.js';
import { callerIdentity, type Credentials } from './credentials.js';
import { UserIdInvalidError, UserNotFoundError } from './errors.js';
import { readUser } from './read-user.js';
import { type DialogLookups, USER_METHOD } from './scheduler/lookup.js';
import type { PortalUser } from './types.js';
import type { UserCache } from './user-cache.js';

/**
 * A user id as the portal knows it: a positive integer (at most 19 digits, as for dialog ids, so a
 * hostile id stays small). It is checked here so a malformed id is answered without a call, and so
 * nothing that is not digits ever goes into a batch command (no `$result[…]`, no `&`).
 */
const USER_ID = /^[0-9]{1,19}$/;

export function normaliseUserId(rawId: string): string | UserIdInvalidError {
  const id = rawId.trim().replace(/^0+(?=\d)/, '');
  if (!USER_ID.test(id) || id === '0') return new UserIdInvalidError(rawId.trim());
  return id;
}

export interface UserLoaderOptions {
  readonly lookups: DialogLookups;
  readonly credentials: Credentials;
  /** Epoch ms by which the request must have its answers. */
  readonly deadline: number;
  readonly signal?: AbortSignal | undefined;
  readonly onCall?: (() => void) | undefined;
  /** Users of this caller loaded by earlier requests (CACHE_TTL_MS); none: always ask the portal. */
  readonly cache?: UserCache | undefined;
  /** Wraps each batch of ids DataLoader gathers (tracing): call `load` once and pass its result on. */
  readonly aroundBatch?: <T>(ids: readonly string[], load: () => Promise<T>) => Promise<T>;
}

/**
 * Loads users (`im.user.list.get`) for one GraphQL request and one caller, like `DialogLoader` for
 * dialogs: every path to a user (`user`, `users`, the edges of a dialog, `_entities`) goes through
 * one instance, duplicates are asked once, and the rest go to the same upstream scheduler as the
 * dialogs, where one caller's user and dialog lookups share calls. Users a dialog's call read by
 * reference are handed in with `prime` and never asked again.
 *
 * `load` resolves to the user, or rejects with `UserIdInvalidError` (answered here),
 * `UserNotFoundError` (no such user, or one the caller may not see) or a `Bitrix24Error`.
 */
export class UserLoader {
  private readonly loader: DataLoader<string, PortalUser>;

  constructor(private readonly options: UserLoaderOptions) {
    const { cache, aroundBatch } = options;
    const load = (ids: readonly string[]) =>
      cache ? this.loadThroughCache(cache, ids) : this.loadFromPortal(ids);
    this.loader = new DataLoader<string, PortalUser>(
      (ids) => (aroundBatch ? aroundBatch(ids, () => load(ids)) : load(ids)),
      { maxBatchSize: Infinity },
    );
  }

  load(rawId: string): Promise<PortalUser> {
    const id = normaliseUserId(rawId);
    if (id instanceof UserIdInvalidError) return Promise.reject(id);
    return this.loader.load(id);
  }

  /** Users read by another lookup's call (raw entries by id; null: not visible to the caller). */
  prime(people: ReadonlyMap<string, unknown>): void {
    const found: PortalUser[] = [];
    for (const [id, raw] of people) {
      try {
        const user = readUser(raw);
        this.loader.prime(id, user ?? new UserNotFoundError(id));
        if (user) found.push(user);
      } catch {
        // An entry that cannot be read is asked again by id, where its failure is told.
      }
    }
    // Read with this caller's credentials: cached for this caller only, like the rest.
    void this.options.cache?.setMany(callerIdentity(this.options.credentials), found);
  }

  /** Serves what the cache holds for this caller and asks the portal only for the rest. */
  private loadThroughCache(
    cache: UserCache,
    ids: readonly string[],
  ): Promise<Array<PortalUser | Error>> {
    const identity = callerIdentity(this.options.credentials);
    return readThroughCache(cache, identity, ids, (missing) => this.loadFromPortal(missing));
  }

  private loadFromPortal(ids: readonly string[]): Promise<Array<PortalUser | Error>> {
    const { lookups, credentials, deadline, signal, onCall } = this.options;
    return Promise.all(
      ids.map((id) =>
        lookups
          .lookupDialog({
            credentials,
            method: USER_METHOD,
            dialogId: id,
            deadline,
            signal,
            onCall,
          })
          .then(
            (raw) => {
              try {
                return readUser(raw) ?? new UserNotFoundError(id);
              } catch (error) {
                return error as Error;
              }
            },
            (error: unknown) => error as Error,
          ),
      ),
    );
  }
}
